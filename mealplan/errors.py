"""Errors the planning operations raise for the pages to show."""


class PlanInfeasible(Exception):
    """No plan satisfies the person's rules; `reasons` say why in plain words."""

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        super().__init__("; ".join(self.reasons) or "No plan satisfies these rules.")
