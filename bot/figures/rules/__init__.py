"""The figures' pure part: periods, plain rows and every figure's definition (no database)."""
