from django.http import HttpRequest

from onelibrary.members.models import SharingGroup


def sharing_group(request: HttpRequest) -> dict[str, object]:
    return {"sharing_group": SharingGroup.current()}
