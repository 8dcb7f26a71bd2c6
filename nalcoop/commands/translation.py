"""--help and click's own words in the language of the run (issue 17).

Commands keep their help in plain English, as the msgids: a command is built once a process (tests build the
tree once a session), so its help is translated when it is shown, never when it is built. A help text is
translated paragraph by paragraph (the first paragraph is the command's summary in its group's list and in
`cli.COMMANDS`), an option's or argument's help as one paragraph; whitespace inside a paragraph does not count
(click wraps it again), so a msgid is the paragraph with its line breaks made spaces (`msgid_of`).

Click's and Typer's own words: Typer (0.26 to 0.28) vendors click as `typer._click`, and that copy has no
gettext at all (its words are f-strings: "Usage: ", "Missing option", "Error: "…). Typer's own module
`typer.core` marks its words with the standard `gettext.gettext` ("Options", "Commands", "[default: …]",
"required"), which reads the global "messages" domain: `install` points that name at nalcoop's catalog once,
at start (one attribute). Click's sentences are recognised by pattern (CLICK) when an error is shown, and its
two help words ("Usage: ", "Show this message and exit.") are given where nalcoop formats help. English is the
source: in English nothing here changes a byte of what click and Typer print.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from nalcoop import i18n
from nalcoop.i18n import N_, _

# Typer's words, as typer.core marks them (they reach the catalog from here).
TYPER_WORDS = (
    N_("Arguments"), N_("Options"), N_("Commands"), N_("default: {default}"), N_("required"),
    N_("env var: {var}"), N_("(dynamic)"), N_("Missing command."), N_("No such command {name!r}."), N_("Aborted!"),
)
HELP_OPTION_NAMES = ("-h", "--help")  # the root's context_settings say the same (nalcoop/cli.py)
USAGE = N_("Usage: ")
HELP_OPTION = N_("Show this message and exit.")
TRY_HELP = N_("Try '{command}' for help.")
ERROR = N_("Error: {message}")

# Click's sentences (its vendored copy writes them as f-strings): the pattern of the English it prints and the
# msgid that says it. A group named `message` is itself a sentence of click's and is translated in its turn.
CLICK: tuple[tuple[str, str], ...] = (
    (r"(?P<message>.+)\. Did you mean (?P<suggestions>'[^?]*')\?",  # Typer's suggestion after a mistyped command
     N_("{message}. Did you mean {suggestions}?")),
    (r"Missing option (?P<name>.+)\.", N_("Missing option {name}.")),
    (r"Missing argument (?P<name>.+)\.", N_("Missing argument {name}.")),
    (r"Missing parameter:? (?P<name>.+?)\.?", N_("Missing parameter {name}.")),
    (r"Invalid value for (?P<name>'[^']*'(?: / '[^']*')*|[A-Z_]+): (?P<message>.+)",
     N_("Invalid value for {name}: {message}")),
    (r"Invalid value: (?P<message>.+)", N_("Invalid value: {message}")),
    (r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)",
     N_("No such option: {name} (did you mean {options}?)")),
    (r"No such option: (?P<name>.+)", N_("No such option: {name}")),
    (r"No such command '(?P<name>.*)'\.", N_("No such command '{name}'.")),
    (r"Got unexpected extra argument\(s\) \((?P<words>.*)\)", N_("Got unexpected extra argument(s) ({words})")),
    (r"Option '(?P<name>[^']+)' requires an argument\.", N_("Option '{name}' requires an argument.")),
    (r"Option '(?P<name>[^']+)' requires (?P<count>\d+) arguments\.",
     N_("Option '{name}' requires {count} arguments.")),
    (r"Option '(?P<name>[^']+)' does not take a value\.", N_("Option '{name}' does not take a value.")),
    (r"(?P<value>'.*') is not a valid int(?:eger)?(?: range)?\.", N_("{value} is not a whole number.")),
    (r"(?P<value>'.*') is not a valid float(?: range)?\.", N_("{value} is not a number.")),
    (r"(?P<value>'.*') is not a valid boolean\. Recognized values: (?P<values>.*)",
     N_("{value} is not yes or no; one of {values}")),
    (r"(?P<value>.+) is not in the range (?P<range>.+)\.", N_("{value} is not in the range {range}.")),
    (r"(?P<value>'.*') is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
    (r"(?P<value>'.*') is not (?P<choice>'.*')\.", N_("{value} is not {choice}.")),
    (r"File (?P<path>'.*') does not exist\.", N_("File {path} does not exist.")),
    (r"Directory (?P<path>'.*') does not exist\.", N_("Folder {path} does not exist.")),
    (r"Path (?P<path>'.*') does not exist\.", N_("Path {path} does not exist.")),
    (r"File (?P<path>'.*') is a directory\.", N_("File {path} is a folder.")),
    (r"Directory (?P<path>'.*') is a file\.", N_("Folder {path} is a file.")),
    (r"(?P<what>File|Directory|Path) (?P<path>'.*') is not readable\.", N_("{path} cannot be read.")),
    (r"(?P<what>File|Directory|Path) (?P<path>'.*') is not writable\.", N_("{path} cannot be written.")),
)


def msgid_of(text: str) -> str:
    """A paragraph of help as its msgid: its words, one space between them."""
    return " ".join(text.split())


def help_text(text: str | None) -> str | None:
    """A command's help (English, as written) in the language of the run, paragraph by paragraph; a paragraph
    the catalog lacks stays English. Indented paragraphs keep their indent."""
    if not text or i18n.current() == i18n.SOURCE:
        return text
    import inspect

    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", inspect.cleandoc(text)):
        indent = paragraph[: len(paragraph) - len(paragraph.lstrip())]
        key = msgid_of(paragraph)
        translated = _(key)
        paragraphs.append(paragraph if translated == key else indent + translated)
    return "\n\n".join(paragraphs)


def help_paragraphs(text: str | None) -> list[str]:
    """The msgids of a help text (what `help_text` looks up), for the catalog."""
    if not text:
        return []
    import inspect

    return [msgid_of(paragraph) for paragraph in re.split(r"\n\s*\n", inspect.cleandoc(text)) if paragraph.strip()]


def option_help(text: str | None) -> str | None:
    """An option's or argument's help in the language of the run (one paragraph)."""
    if not text or i18n.current() == i18n.SOURCE:
        return text
    key = msgid_of(text)
    translated = _(key)
    return text if translated == key else translated


@contextmanager
def in_language(command: Any, ctx: Any) -> Iterator[None]:
    """For as long as a help is formatted: `command`'s help, short help, epilog and its parameters' help in
    the language of the run (put back after: the command is built once and shown in either language)."""
    if i18n.current() == i18n.SOURCE:
        yield
        return
    params = list(command.get_params(ctx)) if ctx is not None else []
    saved = [(command, "help", command.help), (command, "short_help", command.short_help),
             (command, "epilog", getattr(command, "epilog", None)), *((param, "help", getattr(param, "help", None))
                                                                      for param in params)]
    try:
        command.help = help_text(command.help)
        command.short_help = option_help(command.short_help)
        if getattr(command, "epilog", None):
            command.epilog = help_text(command.epilog)
        for param in params:
            if getattr(param, "help", None):
                param.help = _(HELP_OPTION) if param.help == HELP_OPTION else option_help(param.help)
        yield
    finally:
        for owner, attribute, value in saved:
            setattr(owner, attribute, value)


class Translated:
    """Mixed into every nalcoop command and group: help, short help and usage in the language of the run."""

    __slots__ = ()

    def get_help_option_names(self, ctx: Any) -> list[str]:
        """-h and --help on every command, whatever context it is asked in: click builds a command's help option
        once, from the first context that asks, so a context made without the root's settings (a tool, a test)
        would otherwise leave the command without -h for the rest of the process."""
        taken = {name for param in self.params for name in (*param.opts, *param.secondary_opts)}  # type: ignore
        return [name for name in HELP_OPTION_NAMES if name not in taken]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        with in_language(self, ctx):
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        if i18n.current() == i18n.SOURCE:
            if self.short_help or not self.help:  # type: ignore[attr-defined]
                return super().get_short_help_str(limit)  # type: ignore[misc]
            return short_help(self.help, limit).strip()  # type: ignore[attr-defined]
        if self.short_help:  # type: ignore[attr-defined]
            return option_help(self.short_help).strip()  # type: ignore[attr-defined]
        return short_help(help_text(self.help) or "", limit).strip()  # type: ignore[attr-defined]

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_(USAGE))


def click_message(text: str) -> str:
    """One of click's messages (English, as it formats them) in the language of the run; one it does not
    recognise stays English."""
    if i18n.current() == i18n.SOURCE:
        return text
    for pattern, msgid in CLICK:  # re caches the compiled patterns; only an error pays for them
        found = re.fullmatch(pattern, text, re.DOTALL)
        if found:
            parts = found.groupdict()
            if parts.get("message"):
                parts["message"] = click_message(parts["message"])
            return _(msgid).format(**parts)
    return text


def show(exc: Any, file: Any = None) -> None:
    """Click's `UsageError.show` / `ClickException.show`, in the language of the run: the usage line, the
    hint to --help and "Error: …", as click lays them out."""
    from typer._click._compat import get_text_stderr
    from typer._click.utils import echo

    file = file or get_text_stderr()
    ctx = getattr(exc, "ctx", None)
    color = getattr(exc, "show_color", None)
    if ctx is not None:
        color = ctx.color
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = _(TRY_HELP).format(command=f"{ctx.command_path} {ctx.help_option_names[0]}") + "\n"
        echo(f"{ctx.get_usage()}\n{hint}", file=file, color=color)
    echo(_(ERROR).format(message=click_message(exc.format_message())), file=file, color=color)


def translate_error(exc: Any) -> None:
    """A click error about to be shown, shown by `show` in a language other than English (click's own `show`
    prints English words whatever the language). "No arguments: the help" is shown as the help it is."""
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    if i18n.current() != i18n.SOURCE and isinstance(exc, ClickException) and not isinstance(exc, NoArgsIsHelpError):
        exc.show = lambda file=None: show(exc, file)


def width(text: str) -> int:
    """Columns `text` takes on a terminal: a Hangul syllable (or another wide character) takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def short_help(text: str, limit: int) -> str:
    """click's make_default_short_help (the first sentence, cut to `limit` with "..."), counting columns, so
    that a summary with Hangul in it (all of them in Korean; a few English ones name the Korean term) fits the
    line it is given. Text without Hangul is cut exactly as click cuts it."""
    from typer._click.utils import make_default_short_help

    first = make_default_short_help(text, 10**6)
    if first.isascii():
        return make_default_short_help(text, limit)
    if width(first) <= limit:
        return first
    words, kept = first.split(), []
    for word in words:
        if width(" ".join([*kept, word])) + 3 > limit:
            break
        kept.append(word)
    return " ".join(kept).rstrip(",;:") + "..."


def _wide_wrapper() -> type:
    """click's TextWrapper, counting columns instead of characters (Hangul takes two): help in Korean wraps at
    the terminal's width. For text of narrow characters it wraps exactly as click's does."""
    from typer._click._textwrap import TextWrapper

    class WideWrapper(TextWrapper):
        def _handle_long_word(self, reversed_chunks, cur_line, cur_len, room) -> None:
            space_left = max(room - cur_len, 1)
            if self.break_long_words:
                last, cut = reversed_chunks[-1], 0
                while cut < len(last) and width(last[: cut + 1]) <= space_left:
                    cut += 1
                cut = max(cut, 1)
                cur_line.append(last[:cut])
                reversed_chunks[-1] = last[cut:]
            elif not cur_line:
                cur_line.append(reversed_chunks.pop())

        def _wrap_chunks(self, chunks: list[str]) -> list[str]:
            if self.max_lines is not None:
                return super()._wrap_chunks(chunks)
            lines: list[str] = []
            chunks.reverse()
            while chunks:
                cur_line: list[str] = []
                cur_len = 0
                indent = self.subsequent_indent if lines else self.initial_indent
                room = self.width - width(indent)
                if self.drop_whitespace and chunks[-1].strip() == "" and lines:
                    del chunks[-1]
                while chunks:
                    size = width(chunks[-1])
                    if cur_len + size > room:
                        break
                    cur_line.append(chunks.pop())
                    cur_len += size
                if chunks and width(chunks[-1]) > room:
                    self._handle_long_word(chunks, cur_line, cur_len, room)
                    cur_len = sum(width(chunk) for chunk in cur_line)
                if self.drop_whitespace and cur_line and cur_line[-1].strip() == "":
                    cur_len -= width(cur_line[-1])
                    del cur_line[-1]
                if cur_line:
                    lines.append(indent + "".join(cur_line))
            return lines

    return WideWrapper


def install() -> None:
    """Typer's own words (typer.core's `_`, the standard gettext of the global domain) through nalcoop's
    catalog, and help wrapped by columns, not characters. Once, when the command line is imported: typer.core
    and click's formatting are loaded by then anyway."""
    import typer._click._textwrap
    import typer.core

    typer.core._ = i18n.gettext  # type: ignore[attr-defined]
    typer._click._textwrap.TextWrapper = _wide_wrapper()  # wrap_text imports it when it runs
