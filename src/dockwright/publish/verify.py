"""Reading every tag back: it resolves to the pushed digest, whose config is the tested image ID
and whose blobs all exist in the repository."""

from __future__ import annotations

from collections.abc import Sequence

from dockwright.errors import VerificationError
from dockwright.publish.plan import Destination, Published
from dockwright.publish.registries import ClientFactory, Registry, default_client, parallel
from dockwright.registry.client import RegistryClient


def verify(
    image_id: str,
    published: Sequence[Published],
    destinations: Sequence[Destination],
    by_repo: dict[str, Registry] | None = None,
    client_factory: ClientFactory | None = None,
) -> None:
    """Read every tag back: it resolves to the pushed digest, whose config is ``image_id`` and
    whose blobs all exist in the repository. The checks run concurrently."""
    owned: list[RegistryClient] = []
    clients: dict[str, tuple[RegistryClient, str]] = {}
    try:
        for dest in {d.repository: d for d in destinations}.values():
            if by_repo is not None:
                client = by_repo[dest.repository].client
            else:
                client = (client_factory or default_client)(dest)
                owned.append(client)
            clients[dest.repository] = (client, dest.path)

        def check_tag(item: Published) -> None:
            client, path = clients[item.repository]
            found = client.manifest_digest(path, item.tag)
            if found is None:
                raise VerificationError(f"{item.ref} was pushed but the registry lacks it")
            if found != item.digest:
                raise VerificationError(f"{item.ref} resolves to {found}, expected {item.digest}")

        def check_manifest(item: Published) -> list[tuple[Published, str]]:
            client, path = clients[item.repository]
            manifest = client.manifest(path, item.digest)
            if manifest is None or manifest.config_digest != image_id:
                held = manifest.config_digest if manifest else None
                raise VerificationError(
                    f"{item.ref} holds image {held}, not the tested image {image_id}"
                )
            return [(item, blob) for blob, _ in manifest.blobs]

        def check_blob(job: tuple[Published, str]) -> None:
            item, blob = job
            client, path = clients[item.repository]
            if not client.blob_exists(path, blob):
                raise VerificationError(f"{item.ref} names blob {blob}, which is missing")

        one_per_manifest = list({(p.repository, p.digest): p for p in published}.values())
        parallel(check_tag, list(published))
        blobs = parallel(check_manifest, one_per_manifest)
        parallel(check_blob, [job for jobs in blobs for job in jobs])
    finally:
        for client in owned:
            client.close()
