"""Builders, fakes and clients the tests share; conftest files hold only fixtures."""
