"""Storage: typed SQLAlchemy 2 models, the engine, and one module of functions per aggregate.

All SQL lives in this package. Functions take an ``AsyncSession`` and return plain data.
"""
