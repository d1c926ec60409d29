from collections.abc import Callable

from django.http import HttpRequest

from onelibrary.members.access import is_staff_member
from onelibrary.members.models import SharingGroup


def sharing_group(request: HttpRequest) -> dict[str, object]:
    return {"sharing_group": SharingGroup.current()}


def staff_member(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    """Whether to show the staff links: asked (through members.access) only when a
    template uses it, since a template calls a callable it is given."""
    return {"staff_member": lambda: is_staff_member(request.user)}
