from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "onelibrary.members"
    verbose_name = "Members"
