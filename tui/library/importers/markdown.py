"""Markdown articles with optional YAML front matter (title, date, lang, source, url, id)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tui.library.importers.base import FormatError, Parsed, file_key, normalise_date, normalise_lang, pick
from tui.library.model import ArticleDraft

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_LINK_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)")
_CODE = re.compile(r"`([^`]+)`")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>\n]*>")


_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+")


def markdown_to_text(body: str, title: str | None = None) -> str:
    """Readable text: headings, emphasis, links and images reduced to their words; one line per paragraph
    (soft line breaks joined), list items on lines of their own; a first heading repeating `title` dropped."""
    out: list[str] = []
    in_fence = False
    first_heading = True
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append("")
            continue
        if in_fence:
            out.extend([line, ""])  # code keeps its lines
            continue
        if _LINK_DEF.match(line) or _RULE.match(line):
            out.append("")
            continue
        if _SETEXT.match(line) and out and out[-1].strip():
            out.append("")  # the underline of a heading: the line above stands alone
            continue
        if m := _HEADING.match(line):
            heading = m.group(1)
            if not (first_heading and title and heading.casefold() == title.casefold()):
                out.extend(["", heading, ""])
            first_heading = False
            continue
        line = _QUOTE.sub("", line)
        line = _IMAGE.sub("", line)
        line = _LINK.sub(lambda m: m.group(1), line)
        line = _REF_LINK.sub(lambda m: m.group(1), line)
        line = _CODE.sub(lambda m: m.group(1), line)
        line = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3), line)
        line = _HTML_TAG.sub("", line).strip()
        if line and out and out[-1] and not _LIST_ITEM.match(line):
            out[-1] = f"{out[-1]} {line}"  # a soft line break inside a Markdown paragraph
        else:
            out.append(line)
        if line and _LIST_ITEM.match(line):
            out.append("")
    return "\n".join(out)


class MarkdownImporter:
    name = "markdown"

    def parse(self, text: str, path: Path) -> Iterator[Parsed]:
        import frontmatter  # with yaml, 80 ms of imports: only when a Markdown file comes
        import yaml

        try:
            post = frontmatter.loads(text.lstrip("\ufeff"))
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            raise FormatError(f"malformed YAML front matter{where}") from err
        except (ValueError, TypeError) as err:
            raise FormatError(f"malformed front matter ({err})") from err
        meta = post.metadata if isinstance(post.metadata, dict) else {}
        extra = {}
        url = pick(meta, "url", "link")
        if url:
            extra["url"] = url
        title = pick(meta, "title", "headline")
        yield ArticleDraft(
            source_key=file_key(path),
            raw=markdown_to_text(post.content, title),
            title=title,
            date=normalise_date(meta.get("date") or meta.get("published") or meta.get("pubDate")),
            lang=normalise_lang(meta.get("lang") or meta.get("language")),
            source=pick(meta, "source", "outlet", "publisher", "site"),
            ref=pick(meta, "id", "slug"),
            extra=extra,
        )
