from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "onelibrary.directory"
    verbose_name = "Directory, procedures and tickets"
