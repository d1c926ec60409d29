"""The catalog at the edges: OAI-PMH for harvesters, SRU for searching (docs/interop.md)."""

from django.urls import path

from onelibrary.interop import oai, sru

urlpatterns = [
    path("oai", oai.endpoint, name="oai"),
    path("sru", sru.endpoint, name="sru"),
]
