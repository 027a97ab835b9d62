"""Shell syntax the way ShellCheck's parser reads it: the commands and pipes of a script.

hadolint parses the text of each RUN with ShellCheck's parser (as bash) and takes from the
syntax tree every simple command, outer before inner, and whether a pipe (``|``, ``|&``)
occurs anywhere: in ``$( )``, backticks, loop bodies, tests, here-documents. This is a
recursive-descent parser that follows ShellCheck's grammar for that purpose (words are read
by ``shellwords``). A ``[ ]`` or ``[[ ]]`` test, a function name, a case pattern, a ``for``
word list, an assignment are no command; the ``|`` between case patterns is no pipe.
Where ShellCheck stops at the top level (a ``then`` with no ``if``, a stray ``)``), what
came before is kept; where it gives up inside a construct (an unclosed quote or ``$(``, a
missing ``fi``, ``done``, ``esac`` or ``}``, ``echo (x)``), the script has no command and
no pipe at all: ``parse`` returns None.
"""

from __future__ import annotations

from dockwright.dockerfile.shellwords import (
    ShellSyntaxError,
    WordReader,
    Words,
    is_name_char,
    is_name_start,
)

_BLANK = frozenset(" \t\r\xa0")
_KEYWORD_END = frozenset(" \t\r\n\xa0;()[<>&|")
_CLOSERS = ("then", "else", "elif", "fi", "do", "done", "esac")
_MODIFIERS = frozenset({"declare", "export", "local", "readonly", "typeset"})
_FUNCTION_START = frozenset(":+?-./^@,")
_FUNCTION_CHARS = _FUNCTION_START | {"#"}


def parse(text: str) -> tuple[list[Words], bool] | None:
    """(simple commands in ShellCheck's order, whether a pipe occurs); None when ShellCheck
    cannot parse the script."""
    parser = _Parser(text)
    try:
        parser.script()
    except (ShellSyntaxError, RecursionError):
        return None
    return [c for c in parser.commands if c is not None], parser.pipe


class _Parser(WordReader):
    # --- lists ---------------------------------------------------------------------

    def script(self) -> None:
        self.allspacing()
        if self.can_start():
            self.term()
        self.allspacing()
        if self.heredocs:
            self.read_heredocs()
        # Anything left is where ShellCheck stops: it keeps what it read.

    def at_keyword(self, word: str) -> bool:
        end = self.i + len(word)
        return self.s.startswith(word, self.i) and (
            end >= self.n or self.s[end] in _KEYWORD_END or self.s.startswith("\\\n", end)
        )

    def at_closer(self) -> bool:
        c = self.at()
        return c in ("}", ")") or self.starts(";;") or any(map(self.at_keyword, _CLOSERS))

    def can_start(self) -> bool:
        """Whether an and-or list starts here (where ShellCheck's would fail at once)."""
        c = self.at()
        if c == "" or c in "|;\n" or (c == "&" and self.at(1) != ">"):
            return False
        return not self.at_closer()

    def compound_list_or_empty(self) -> list[str | None]:
        self.allspacing()
        return self.term() if self.can_start() else []

    def term(self) -> list[str | None]:
        """readTerm: and-or lists and their separators; each item's simplified text (None
        where hadolint's ``simplify`` gives nothing: a compound, a chain, a pipeline)."""
        self.allspacing()
        if not self.can_start():
            raise ShellSyntaxError(f"expected a command at {self.i}")
        items = [self.and_or()]
        while (sep := self.separator()) is not None:
            if sep == "&":
                items[-1] = None
            if not self.can_start():
                break
            items.append(self.and_or())
        return items

    def separator(self) -> str | None:
        c = self.at()
        if c == ";" and self.at(1) not in (";", "&"):
            self.i += 1
        elif c == "&" and self.at(1) not in ("&", ">"):
            self.i += 1
            self.spacing()
            if self.at() == ";" and self.at(1) != ";":  # `a &; b`: accepted with a warning
                self.i += 1
        elif c != "\n":
            return None
        self.spacing()
        self.linebreak()
        return c

    def and_or(self) -> str | None:
        text = self.pipeline()
        while self.starts("&&") or self.starts("||"):
            self.i += 2
            self.spacing()
            self.linebreak()
            self.pipeline()
            text = None
        return text

    def pipeline(self) -> str | None:
        if self.at_closer():
            raise ShellSyntaxError(f"unexpected keyword at {self.i}")
        banged = self.bang()
        text = self.command()
        alone = True
        while self.at() == "|" and self.at(1) != "|":
            self.pipe = True
            self.i += 2 if self.at(1) == "&" else 1
            self.spacing()
            self.linebreak()
            self.bang()
            self.command()
            alone = False
        return text if alone and not banged else None

    def bang(self) -> bool:
        banged = False
        while self.at() == "!":
            self.i += 1
            self.spacing()
            banged = True
        return banged

    # --- commands ------------------------------------------------------------------

    def command(self) -> str | None:
        """One command; its simplified text if it is a simple command."""
        c = self.at()
        if c == "{":
            self.brace_group()
        elif c == "(":
            if self.at(1) == "(" and self.arithmetic(2):
                self.spacing()
            else:
                self.subshell()
        elif self.at_keyword("if"):
            self.if_clause()
        elif self.at_keyword("while") or self.at_keyword("until"):
            self.i += 5
            self.spacing()
            self.term()
            self.do_group()
        elif self.at_keyword("for") or self.at_keyword("select"):
            self.for_clause()
        elif self.at_keyword("case"):
            self.case_clause()
        elif c == "[":
            self.condition()
        elif not self.function_definition():
            return self.simple()
        while self.redirect():
            pass
        return None

    def simple(self) -> str:
        slot = len(self.commands)
        self.commands.append(None)  # the command comes before what its words hold
        prefix = False
        while self.redirect() or self.assignment():
            prefix = True
        if self.at() == "\\" and (is_name_char(self.at(1)) or self.at(1) in ":."):
            self.i += 1  # `\rm`: alias suppression
        first = self.word()
        if first is None:
            if not prefix:
                raise ShellSyntaxError(f"expected a command at {self.i}")
            return ""
        self.spacing()
        words, dynamic = [first[0]], set() if first[1] else {0}
        name = first[0] if first[1] else None
        if name == "time":
            while self.at() == "-" and (w := self.word()) is not None:
                self.spacing()
                words.append(w[0])
            if self.can_start():
                words.append(self.pipeline() or "")
        modifier = name in _MODIFIERS
        while True:
            if self.redirect():
                continue
            if modifier and self.assignment():
                words.append("")  # hadolint's simplify drops an assignment word
                continue
            w = self.word()
            if w is None:
                break
            self.spacing()
            if not w[1]:
                dynamic.add(len(words))
            words.append(w[0])
        self.commands[slot] = (words, dynamic)
        return "".join(words)

    def redirect(self) -> bool:
        s, j = self.s, self.i
        if self.at() == "&":
            j += 1
        else:
            while j < self.n and s[j].isdigit():
                j += 1
        if j >= self.n or s[j] not in "<>" or s[j + 1 : j + 2] == "(":
            return False
        if s.startswith("<<<", j):
            self.i = j + 3
        elif s.startswith("<<", j):
            dashed = s.startswith("<<-", j)
            self.i = j + 2 + dashed
            self.spacing()
            start = self.i
            if self.word() is None:
                raise ShellSyntaxError(f"expected a here-document token at {self.i}")
            raw = s[start : self.i]
            if len(raw) > 1 and raw[0] == raw[-1] and raw[0] in "'\"":
                self.heredocs.append((raw[1:-1], dashed, True))
            else:
                self.heredocs.append((raw.replace("\\", ""), dashed, "\\" in raw))
            self.spacing()
            return True
        else:
            op = next(o for o in (">>", "<>", ">&", "<&", ">|", "<", ">") if s.startswith(o, j))
            self.i = j + len(op)
            self.spacing()
            if op in (">&", "<&"):
                k = self.i
                while k < self.n and s[k].isdigit():
                    k += 1
                if k < self.n and s[k] == "-":
                    k += 1
                if k > self.i:
                    self.i = k
                    self.spacing()
                    return True
        if self.word() is None:
            raise ShellSyntaxError(f"expected a file name at {self.i}")
        self.spacing()
        return True

    # --- compound commands -----------------------------------------------------------

    def brace_group(self) -> None:
        self.i += 1
        self.term()
        self.fail_unless("}")
        self.spacing()

    def subshell(self) -> None:
        self.i += 1
        self.term()
        self.allspacing()
        self.fail_unless(")")
        self.spacing()

    def keyword(self, word: str) -> None:
        if not self.at_keyword(word):
            raise ShellSyntaxError(f"expected {word!r} at {self.i}")
        self.i += len(word)
        self.spacing()

    def semicolon(self) -> None:
        """A ``;`` right after then/else/do: accepted with a warning."""
        if self.at() == ";" and self.at(1) != ";":
            self.i += 1
            self.spacing()

    def if_clause(self) -> None:
        self.keyword("if")
        self.then_part()
        while self.at_keyword("elif"):
            self.keyword("elif")
            self.then_part()
        if self.at_keyword("else"):
            self.keyword("else")
            self.semicolon()
            self.term()
        self.keyword("fi")

    def then_part(self) -> None:
        self.term()
        self.keyword("then")
        self.semicolon()
        self.term()

    def do_group(self) -> None:
        self.keyword("do")
        self.semicolon()
        self.term()
        self.keyword("done")

    def for_clause(self) -> None:
        self.i += 3 if self.at_keyword("for") else 6
        self.spacing()
        if self.starts("(("):
            if not self.arithmetic(2):
                raise ShellSyntaxError(f"expected )) closing for (( at {self.i}")
            self.spacing()
            self.semicolon()
            self.linebreak()
        else:
            if self.at() == "$":
                self.i += 1
            if not is_name_start(self.at()):
                raise ShellSyntaxError(f"expected a loop variable at {self.i}")
            while is_name_char(self.at()):
                self.i += 1
            self.allspacing()
            if self.at_keyword("in"):
                self.keyword("in")
                while not (self.at() in ("", "\n", ";") or self.at_keyword("do")):
                    if self.word() is None:
                        break
                    self.spacing()
            if not self.at_keyword("do"):
                self.semicolon()
                self.allspacing()
        if self.at() == "{":
            self.brace_group()
        else:
            self.do_group()

    def case_clause(self) -> None:
        self.keyword("case")
        if self.word() is None:
            raise ShellSyntaxError(f"expected a word after case at {self.i}")
        self.allspacing()
        self.keyword("in")
        self.linebreak()
        while not self.at_keyword("esac"):
            if self.at() == "(":
                self.i += 1
            self.spacing()
            while True:  # patterns: `a|b)` has no pipe
                if self.word() is None:
                    raise ShellSyntaxError(f"expected a case pattern at {self.i}")
                self.spacing()
                if self.at() != "|":
                    break
                self.i += 1
                self.spacing()
            self.fail_unless(")")
            self.spacing()
            self.linebreak()
            if not (self.starts(";;") or self.starts(";&") or self.at_keyword("esac")):
                self.term()
            for sep in (";;&", ";&", ";;"):
                if self.starts(sep):
                    self.i += len(sep)
                    break
            else:
                if not self.at_keyword("esac"):
                    raise ShellSyntaxError(f"expected ;; at {self.i}")
            self.spacing()
            self.linebreak()
        self.keyword("esac")

    def function_definition(self) -> bool:
        s, start = self.s, self.i
        if self.at_keyword("function"):
            self.i += 8
            self.spacing()
            j = self.i
            while j < self.n and (is_name_char(s[j]) or s[j] in _FUNCTION_CHARS or s[j] in "[]*=!"):
                j += 1
            if j == self.i:
                raise ShellSyntaxError(f"expected a function name at {self.i}")
            self.i = j
            self.spacing()
            if self.at() == "(":
                self.parens()
        else:
            j = start
            while j < self.n and (
                is_name_char(s[j]) or s[j] in _FUNCTION_START or (j > start and s[j] == "#")
            ):
                j += 1
            if j == start or s[start:j] == "time":
                return False
            self.i = j
            self.spacing()
            if self.at() != "(" or not self.parens():
                self.i = start
                return False
        self.allspacing()
        if self.at() == "{":
            self.brace_group()
        elif self.at() == "(":
            self.subshell()
        else:
            raise ShellSyntaxError(f"expected a function body at {self.i}")
        return True

    def parens(self) -> bool:
        """``()`` after a function name; ``(a, b)`` too (ShellCheck warns and skips it)."""
        close = self.s.find(")", self.i)
        if close < 0 or any(c in "\n{" for c in self.s[self.i : close]):
            return False
        self.i = close + 1
        self.spacing()
        return True

    def condition(self) -> None:
        """``[ ... ]`` or ``[[ ... ]]``: a test, not a command; what its words hold counts."""
        double = self.starts("[[")
        close = "]]" if double else "]"
        self.i += len(close)
        while True:
            self.allspacing()
            c = self.at()
            end = self.i + len(close)
            if self.starts(close) and (end >= self.n or self.s[end] in _KEYWORD_END):
                self.i = end
                self.spacing()
                return
            if c == "":
                raise ShellSyntaxError("expected ] closing the test")
            if double and (self.starts("&&") or self.starts("||")):
                self.i += 2
            elif c in "()!<>" and not (c in "<>" and self.at(1) == "("):
                self.i += 1
            elif c in ";|&\n":
                raise ShellSyntaxError(f"expected ] closing the test at {self.i}")
            else:
                start = self.i
                w = self.word()
                if w is None:
                    raise ShellSyntaxError(f"expected ] closing the test at {self.i}")
                raw = self.s[start : self.i]
                if raw.endswith("]") and "[" not in raw:
                    raise ShellSyntaxError(f"missing space before ] at {self.i}")
                if double and w[0] == "=~":
                    self.spacing()
                    self.regex()

    def regex(self) -> None:
        depth = 0
        while self.i < self.n:
            c = self.s[self.i]
            if c in _BLANK and depth == 0:
                return
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            if c == "\\":
                self.i += 2
                continue
            if c in "'\"$`" and self.word_part(c) is not None:
                continue
            self.i += 1
