"""/v1/customers: the customers a tenant bills, which documents can name by `customer_id`."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from invoicing.api.account_schemas import CustomerList, CustomerResponse, CustomerUpdate
from invoicing.api.common_schemas import OK
from invoicing.api.resolver import created, tenant_of
from invoicing.bootstrap import from_environment
from invoicing.domain.parts import Customer
from invoicing.services import customers
from invoicing.services.ports import StoredCustomer

router = Router()


def _response(stored: StoredCustomer) -> CustomerResponse:
    return CustomerResponse.model_validate(
        stored.customer.model_dump()
        | {"id": stored.id, "created_at": stored.created_at, "updated_at": stored.updated_at}
    )


@router.post(
    "/v1/customers",
    summary="Create a customer",
    responses={
        201: {"description": "Created", "content": {"application/json": {"model": CustomerResponse}}},
    },
    tags=["customers"],
)
def create_customer(body: Customer) -> Response[dict[str, Any]]:
    stored = customers.create_customer(from_environment(), tenant_of(router), body)
    return created(_response(stored), f"/v1/customers/{stored.id}")


@router.get("/v1/customers/<customer_id>", summary="Read a customer", responses=OK, tags=["customers"])
def read_customer(customer_id: str) -> CustomerResponse:
    return _response(customers.get_customer(from_environment(), tenant_of(router), customer_id))


@router.patch(
    "/v1/customers/<customer_id>",
    summary="Change a customer",
    description="Finalized documents keep the customer as it was when they were finalized.",
    responses=OK,
    tags=["customers"],
)
def update_customer(customer_id: str, body: CustomerUpdate) -> CustomerResponse:
    changes = body.model_dump(mode="json", exclude_unset=True)
    return _response(customers.update_customer(from_environment(), tenant_of(router), customer_id, changes))


@router.get("/v1/customers", summary="List customers", responses=OK, tags=["customers"])
def list_customers(
    *,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
) -> CustomerList:
    page, next_cursor = customers.list_customers(
        from_environment(), tenant_of(router), after=cursor, limit=limit
    )
    return CustomerList(
        data=[_response(item) for item in page], has_more=next_cursor is not None, next_cursor=next_cursor
    )
