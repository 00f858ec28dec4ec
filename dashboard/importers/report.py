"""The import report: what was read from a file, what was kept, and why the rest was not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: How many rejections ``to_dict`` lists by default; the rest are counted.
REJECTIONS_LISTED = 1000
#: How many rejections ``summary`` prints.
REJECTIONS_PRINTED = 20


@dataclass
class ImportReport:
    """What an import did, for the command line and the page.

    Attributes:
        file: The file's name.
        format: ``acled``, ``ucdp`` or ``atlas``.
        rows_read: Data rows met in the file (the header, an HXL row and blank lines aside);
            ``imported + len(rejected)`` when the file could be read at all.
        imported: Rows that became events.
        rejected: ``(line, reason)`` for each row not imported, by physical line in the
            file (1-based, the header is line 1).
        actors_matched: Actor name -> id of the group of ``groups.csv`` it stands for.
        actors_unmatched: Actor name -> id of the group generated for it.
        skipped: ``(line, what)`` for lines that hold no event and are no error (HXL tags).
        error: Why the whole file was not imported (e.g. missing columns), else None.
        seconds: How long the import took.
    """

    file: str
    format: str
    rows_read: int = 0
    imported: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    actors_matched: dict[str, str] = field(default_factory=dict)
    actors_unmatched: dict[str, str] = field(default_factory=dict)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the file could be read (even if some rows were rejected)."""
        return self.error is None

    def summary(self, limit: int = REJECTIONS_PRINTED) -> list[str]:
        """Lines for the command line: counts, the first rejections, the actors."""
        head = f"{self.file} ({self.format})"
        if self.error:
            return [f"{head}: not imported: {self.error}"]
        lines = [
            f"{head}: {self.rows_read:,} row(s) read, {self.imported:,} imported, "
            f"{len(self.rejected):,} rejected ({self.seconds:.1f} s)"
        ]
        lines += [f"  line {line}: {what} (skipped)" for line, what in self.skipped]
        lines += [f"  line {line}: {reason}" for line, reason in self.rejected[:limit]]
        if len(self.rejected) > limit:
            lines.append(f"  ... and {len(self.rejected) - limit:,} more rejected row(s)")
        lines.append(
            f"  actors: {len(self.actors_matched):,} matched to groups, "
            f"{len(self.actors_unmatched):,} unmatched (each given a group of its own)"
        )
        return lines

    def to_dict(self, limit: int = REJECTIONS_LISTED) -> dict[str, Any]:
        """A JSON-able form for the page; at most ``limit`` rejections are listed."""
        return {
            "file": self.file,
            "format": self.format,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "rejected_count": len(self.rejected),
            "rejected": [{"line": line, "reason": why} for line, why in self.rejected[:limit]],
            "rejected_not_listed": max(0, len(self.rejected) - limit),
            "skipped": [{"line": line, "what": what} for line, what in self.skipped],
            "actors_matched": dict(self.actors_matched),
            "actors_unmatched": dict(self.actors_unmatched),
            "error": self.error,
            "seconds": round(self.seconds, 3),
        }
