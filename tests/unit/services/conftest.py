"""Fixtures of the service tests: every port in memory, and a tenant whose seller identity is set."""

from __future__ import annotations

import pytest

from invoicing.domain.settings import TenantSettings
from tests.support.fakes import FakeDependencies
from tests.support.samples import seller_settings

TENANT = "ten_services"


@pytest.fixture
def deps() -> FakeDependencies:
    fakes = FakeDependencies()
    fakes.remote_files.files["https://files.example/a.pdf"] = b"%PDF-1.4\n%%EOF\n"
    fakes.tenants.put_settings(TENANT, TenantSettings.model_validate(seller_settings()))
    return fakes


@pytest.fixture
def tenant() -> str:
    return TENANT
