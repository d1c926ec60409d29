"""The catalog at the edges: OAI-PMH for harvesters (docs/interop.md)."""

from django.urls import path

from onelibrary.interop import oai

urlpatterns = [
    path("oai", oai.endpoint, name="oai"),
]
