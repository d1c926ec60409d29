"""Who is calling the API, and how the API says no.

Every request carries a staff account's key as `Authorization: Bearer <key>`
(`members/tokens.py`). Every refusal has one body, `ErrorOut`: a `code` a program can
branch on, a `message` a person can act on, and for circulation refusals the
decision-table id and whether a library admin may override it. Status codes
(docs/api.md): 400 a body that is not one JSON object (a form body included), 401 no
usable key, 403 not yours to do, 404 nothing by that barcode, card, branch or loan, 409
refused by a rule or by the item's or loan's state, 413 a body past Django's
DATA_UPLOAD_MAX_MEMORY_SIZE, 422 the input is malformed or the wrong kind of barcode.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.views.defaults import bad_request as django_bad_request
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from onelibrary.core.refusals import Refusal, RulesProblem
from onelibrary.members import tokens
from onelibrary.members.access import AccessError
from onelibrary.members.models import Branch


class ErrorOut(Schema):
    code: str
    message: str
    decision: str = ""
    overridable: bool = False
    detail: list[dict[str, Any]] = []


class ApiError(HttpError):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(status, message)
        self.code = code


ERROR_RESPONSES = {frozenset({400, 401, 403, 404, 409, 413, 422}): ErrorOut}

NOT_FOUND = frozenset(
    {"unknown_item", "unknown_patron", "unknown_branch", "unknown_loan", "unknown_charge"}
)
MALFORMED = frozenset(
    {
        "empty",
        "patron_card_as_item",
        "item_as_patron_card",
        "invalid_card",
        "invalid_input",
        "reason_required",
    }
)
FORBIDDEN = frozenset(
    {
        "not_your_branch",
        "override_not_allowed",
        "not_staff",
        "not_permitted",
        "not_your_library",
        "over_waiver_limit",
    }
)

# Printable text only: PostgreSQL refuses NUL, and no scanner sends control characters.
BARCODE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
TEXT_PATTERN = r"^[^\x00]*$"


# A form body: the CSRF check may have read it already, and it is not JSON anyway.
FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})
NOT_JSON = (
    "The body must be JSON, sent with 'Content-Type: application/json'; "
    "a form body (multipart/form-data or urlencoded) is not read."
)


def status_for(code: str) -> int:
    if code in NOT_FOUND:
        return 404
    if code in MALFORMED:
        return 422
    if code in FORBIDDEN:
        return 403
    return 409


class StaffToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> User:
        header = request.headers.get("Authorization", "")
        scheme, _, key = header.strip().partition(" ")
        if not header.strip():
            raise ApiError(
                401,
                "no_token",
                "Send a staff API token in the header 'Authorization: Bearer <key>'.",
            )
        if scheme.lower() != "bearer" or not key.strip():
            raise ApiError(401, "bad_header", "The Authorization header must read 'Bearer <key>'.")
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        try:
            return tokens.use_token(token)
        except tokens.TokenRefused as error:
            raise ApiError(
                403 if error.code == "not_staff" else 401, error.code, error.message
            ) from error


class StaffApiRequest(HttpRequest):
    """A request StaffToken let in: django-ninja sets `.auth` to the staff member it
    returned. Endpoints annotate their request with it (a type, nothing at run time)."""

    auth: User


def staff_of(request: StaffApiRequest) -> User:
    return request.auth


def find_branch(code: str) -> Branch:
    branch = Branch.objects.select_related("library").filter(code=code.strip().upper()).first()
    if branch is None:
        raise Refusal(
            "unknown_branch",
            f"No branch has the code {code!r}. Use a branch code such as the "
            "one on the desk's settings page.",
        )
    return branch


JSON_KINDS = {
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}
SEND_JSON = "Send a JSON object with the header 'Content-Type: application/json'."


class JsonObjectParser(Parser):
    """Reads a body as one JSON object, or refuses it saying why.

    Django Ninja's schemas read any other value through its attributes, so without this
    a body of `[]`, `"x"` or `null` would count as an empty object: a renewal would go
    through on a body that is not a renewal at all. Ninja wraps a parser's error in a 400;
    `on_api_error` answers with the `ApiError` raised here, which says what is wrong.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            data = json.loads(request.body.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise ApiError(
                400, "not_json", f"The body is not UTF-8 text (byte {error.start}). {SEND_JSON}"
            ) from error
        except json.JSONDecodeError as error:
            raise ApiError(
                400,
                "not_json",
                f"The body is not JSON: {error.msg} (line {error.lineno}, "
                f"column {error.colno}). {SEND_JSON}",
            ) from error
        except RecursionError as error:
            raise ApiError(400, "not_json", f"The body nests too deeply. {SEND_JSON}") from error
        if not isinstance(data, dict):
            kind = JSON_KINDS[type(data)]
            raise ApiError(400, "not_json", f"The body is {kind}, not an object. {SEND_JSON}")
        return data


def install_error_handlers(api: NinjaAPI) -> None:
    def reply(request: HttpRequest, status: int, body: ErrorOut) -> HttpResponse:
        response = api.create_response(request, body.model_dump(), status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="OneLibrary"'
        return response

    def on_refusal(request: HttpRequest, error: Refusal) -> HttpResponse:
        body = ErrorOut(
            code=error.code,
            message=error.message,
            decision=error.decision,
            overridable=error.overridable,
        )
        return reply(request, status_for(error.code), body)

    def on_api_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        if isinstance(error.__cause__, ApiError):  # JsonObjectParser's, wrapped by Ninja
            error = error.__cause__
        default = {400: "bad_request", 401: "unauthorized"}.get(error.status_code, "refused")
        code = getattr(error, "code", default)
        message = error.message
        if error.status_code == 400 and request.content_type in FORM_TYPES:
            message = NOT_JSON
        return reply(request, error.status_code, ErrorOut(code=code, message=message))

    def on_form_body(request: HttpRequest, error: RawPostDataException) -> HttpResponse:
        # The CSRF check parsed a multipart body as a form, so its raw bytes are gone.
        return reply(request, 400, ErrorOut(code="not_json", message=NOT_JSON))

    def on_access_error(request: HttpRequest, error: AccessError) -> HttpResponse:
        # members.access: an id out of the staff member's scope answers as one that is not there.
        return reply(request, error.status, ErrorOut(code=error.code, message=error.message))

    def on_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
        places = [
            ".".join(str(part) for part in problem.get("loc", ())) + ": " + problem.get("msg", "")
            for problem in error.errors
        ]
        body = ErrorOut(
            code="invalid_input",
            message="The request is not valid: " + "; ".join(places),
            detail=[
                {k: v for k, v in p.items() if k in ("loc", "msg", "type")} for p in error.errors
            ],
        )
        return reply(request, 422, body)

    def on_too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = ErrorOut(
            code="too_large",
            message=f"The body is larger than {limit} bytes; no request needs that much.",
        )
        return reply(request, 413, body)

    def on_rules_problem(request: HttpRequest, error: Exception) -> HttpResponse:
        # The group's rules or calendars cannot answer: refused, and nothing changed.
        code = error.code if isinstance(error, RulesProblem) else "refused"
        return reply(request, 409, ErrorOut(code=code, message=str(error)))

    # django-ninja types a handler's error as "the class or an instance" (ninja.main.Exc);
    # it is always given the instance, which is what these handlers take.
    api.add_exception_handler(Refusal, on_refusal)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, on_api_error)  # type: ignore[arg-type]
    api.add_exception_handler(AccessError, on_access_error)  # type: ignore[arg-type]
    api.add_exception_handler(RawPostDataException, on_form_body)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, on_validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(RulesProblem, on_rules_problem)  # type: ignore[arg-type]
    api.add_exception_handler(RequestDataTooBig, on_too_big)  # type: ignore[arg-type]


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's answer to a request it could not read before any view ran (a multipart
    body with no boundary, say): for the API, the one error body; for pages, the plain page.
    The site's `handler400`."""
    if request.path.startswith("/api/"):
        body = ErrorOut(code="not_json", message=NOT_JSON)
        return JsonResponse(body.model_dump(), status=400)
    return django_bad_request(request, exception or Exception("bad request"))
