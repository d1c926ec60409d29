from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "onelibrary.policy"
    verbose_name = "Policy"
