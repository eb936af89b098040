"""What a person and a household ask of a plan, on plain data: daily targets (targets), meals a
day and their energy bands (slots), weekly rules (weekly_rules), invitation links and members in
words (households)."""
