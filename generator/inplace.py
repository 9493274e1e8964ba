"""Changes to the live site/ that can be undone: an incremental build updates site/ in place.

Staging a copy of a 52,000-page site for each incremental build (a folder and a hard link per
page) and removing the old one afterwards took longer than rendering the changed pages. So an
incremental build moves aside, into an undo folder beside site/, every file it is about to
replace (the pages whose Markdown changed, the sitemaps, the changed search shards), lets MkDocs
write into site/ itself, and on any failure removes what was written and moves the originals back:
a failed build leaves site/ as it was. A build killed outright can leave site/ part-updated; the
fingerprint of the last good build is forgotten before anything is written (incremental.py), so the
next build is a full one, staged and swapped in whole.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path


class SiteUpdate:
    def __init__(self, site: Path, undo: Path):
        self.site = site
        self._undo = undo
        self._touched: list[str] = []  # site-relative paths, in the order they were set aside
        self._seen: set[str] = set()

    def set_aside(self, relative: str) -> None:
        """Move site/relative (a file or folder, if it exists) into the undo folder; it may then be written."""
        if relative in self._seen:  # already set aside: what stands there now is this build's own
            return
        current = self.site / relative
        if os.path.lexists(current):
            kept = self._undo / relative
            kept.parent.mkdir(parents=True, exist_ok=True)
            os.rename(current, kept)  # recorded only once moved: undo must never remove an original
        self._seen.add(relative)
        self._touched.append(relative)

    def track(self, relative: str) -> None:
        """A path this build has written without setting anything aside first: undo removes it."""
        if relative not in self._seen:
            self._seen.add(relative)
            self._touched.append(relative)

    def replace(self, relative: str, new: Path) -> None:
        """Put `new` (a file or folder on the same filesystem) at site/relative."""
        self.set_aside(relative)
        (self.site / relative).parent.mkdir(parents=True, exist_ok=True)
        os.rename(new, self.site / relative)

    def undo(self) -> None:
        """Remove whatever now stands at each path set aside and move the original back."""
        for relative in reversed(self._touched):
            current, kept = self.site / relative, self._undo / relative
            if current.is_dir() and not current.is_symlink():
                shutil.rmtree(current)
            elif os.path.lexists(current):
                current.unlink()
            if os.path.lexists(kept):
                os.rename(kept, current)
        shutil.rmtree(self._undo, ignore_errors=True)
        self._drop_empty_folders()

    def done(self) -> None:
        """Keep the changes: drop the originals, and the folders of removed pages left empty."""
        shutil.rmtree(self._undo, ignore_errors=True)
        self._drop_empty_folders()

    def _drop_empty_folders(self) -> None:
        """Folders that held only paths set aside, or that this build made for them, and are empty now."""
        folders = {parent for relative in self._touched for parent in (self.site / relative).parents
                   if parent != self.site and self.site in parent.parents}
        for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):  # deepest first
            try:
                folder.rmdir()
            except OSError:  # not empty, or gone
                pass
