"""Admin for the group's governance data: requirements, training modules, monitor settings.
Central office only; decisions, votes and membership steps go through the pages."""

from __future__ import annotations

from django.contrib import admin

from onelibrary.governance.models import MonitorSettings, Requirement, TrainingModule
from onelibrary.members.admin import CentralOfficeAdmin


@admin.register(Requirement)
class RequirementAdmin(CentralOfficeAdmin):
    list_display = ["text", "position", "in_force"]


@admin.register(TrainingModule)
class TrainingModuleAdmin(CentralOfficeAdmin):
    list_display = ["title", "code", "onboarding", "suggested_for"]


@admin.register(MonitorSettings)
class MonitorSettingsAdmin(CentralOfficeAdmin):
    list_display = ["__str__", "crate_unpack_days", "window_days", "email_to"]
