"""Reading every tag back: it resolves to the pushed digest, whose config is the tested image ID
and whose blobs all exist in the repository."""

from __future__ import annotations

from collections.abc import Sequence

from dockwright.errors import VerificationError
from dockwright.publish.plan import Destination, Published
from dockwright.publish.registries import ClientFactory, Registries


def verify(
    image_id: str,
    published: Sequence[Published],
    destinations: Sequence[Destination],
    registries: Registries | None = None,
    client_factory: ClientFactory | None = None,
) -> None:
    """Read every tag back: it resolves to the pushed digest, whose config is ``image_id`` and
    whose blobs all exist in the repository. The checks run concurrently, through
    ``registries`` when given (else through registries of its own, closed when done)."""
    if registries is None:
        with Registries(destinations, client_factory) as own:
            verify(image_id, published, destinations, own)
        return
    regs = registries
    by_repo = {d.repository: d for d in destinations}

    def check_tag(item: Published) -> None:
        dest = by_repo[item.repository]
        found = regs.client(dest).manifest_digest(dest.path, item.tag)
        if found is None:
            raise VerificationError(f"{item.ref} was pushed but the registry lacks it")
        if found != item.digest:
            raise VerificationError(f"{item.ref} resolves to {found}, expected {item.digest}")

    def check_manifest(item: Published) -> list[tuple[Published, str]]:
        dest = by_repo[item.repository]
        manifest = regs.client(dest).manifest(dest.path, item.digest)
        if manifest is None or manifest.config_digest != image_id:
            held = manifest.config_digest if manifest else None
            raise VerificationError(
                f"{item.ref} holds image {held}, not the tested image {image_id}"
            )
        return [(item, blob) for blob, _ in manifest.blobs]

    def check_blob(job: tuple[Published, str]) -> None:
        item, blob = job
        dest = by_repo[item.repository]
        if not regs.client(dest).blob_exists(dest.path, blob):
            raise VerificationError(f"{item.ref} names blob {blob}, which is missing")

    one_per_manifest = list({(p.repository, p.digest): p for p in published}.values())
    regs.parallel(check_tag, list(published))
    blobs = regs.parallel(check_manifest, one_per_manifest)
    regs.parallel(check_blob, [job for jobs in blobs for job in jobs])
