"""Reading settings from the environment, where an empty value means "not set".

`.env.example` lists every variable with an empty value; copying it to `.env`
must leave the defaults in force rather than break start-up.
"""

from collections.abc import Mapping


def env_str(env: Mapping[str, str], name: str, default: str = "") -> str:
    value = env.get(name, "").strip()
    return value or default


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    return int(env_str(env, name, str(default)))


def env_float(env: Mapping[str, str], name: str, default: float) -> float:
    return float(env_str(env, name, str(default)))


def env_flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = env_str(env, name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_list(env: Mapping[str, str], name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(env, name, default).split(",") if item.strip()]
