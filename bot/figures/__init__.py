"""Steering figures (issue 12): periods, plain rows, the figures as pure functions, charts and
exports. Definitions and cites: ``../shared/reference/seeds_requirements.md`` section 4."""
