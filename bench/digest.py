"""Rendering digests at scale: 1,000 stories for 100 subscriptions (select, view, Jinja2, CSS inlining, MIME).

Usage: .venv/bin/python bench/digest.py [--stories 1000] [--subscriptions 100]

Stories are synthetic but shaped like stored ones (Korean headline and body, 3–8 entities from the shipped
gazetteer, 1–4 outlets); each subscription filters on a different entity set, so every digest differs.
Prints the total time, the time per digest and the largest HTML (Gmail clips above 100 KB).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

from sinowatch.config import Subscription
from sinowatch.digest import mail, render, select
from sinowatch.entities import load_gazetteer
from sinowatch.models import EntityRef, Story, StoredArticle

SENTENCES = ["중국 인공지능 기업 {e}가 새 대규모 언어모델을 공개했다.", "{e}는 추론 성능이 이전보다 크게 나아졌다고 밝혔다.",
             "업계에서는 {e}의 이번 발표가 시장 판도를 바꿀 것이라는 분석이 나온다.", "베이징의 한 애널리스트는 경쟁이 치열해질 것으로 봤다.",
             "{e} 측은 올해 안에 기업용 서비스를 확대할 계획이다.", "미국의 수출 통제가 변수로 꼽힌다."]


def stories(n: int, entity_ids: list[str], names: dict[str, str]) -> list[Story]:
    rng = random.Random(7)
    now = datetime.now(UTC)
    out = []
    for i in range(n):
        ents = rng.sample(entity_ids, rng.randint(3, 8))
        body = "\n\n".join(rng.choice(SENTENCES).format(e=names[rng.choice(ents)]) for _ in range(rng.randint(6, 14)))

        def article(j: int, outlet: str) -> StoredArticle:
            return StoredArticle(id=i * 10 + j, url=f"https://news{j}.example/{i}", source=f"s{j}", outlet=outlet,
                                 title=f"{names[ents[0]]}, {names[ents[1]]}와 협력…AI 칩 공동 개발 #{i}", body=body,
                                 published=now - timedelta(minutes=i), status="new" if j == 0 else "duplicate",
                                 duplicate_of=None if j == 0 else i * 10, story_id=i * 10, relevance=rng.random(),
                                 on_topic=True, created_at=now,
                                 entities=[EntityRef(e, rng.randint(1, 6), rng.random(), k == 0) for k, e in enumerate(ents)])
        outlets = ["연합뉴스", "뉴시스", "AI타임스", "전자신문"][:rng.randint(1, 4)]
        out.append(Story(article(0, outlets[0]), [article(j, o) for j, o in enumerate(outlets[1:], 1)]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--subscriptions", type=int, default=100)
    args = parser.parse_args()
    gazetteer = load_gazetteer()
    entities = {e.id: e for e in gazetteer}
    ids = sorted(i for i, e in entities.items() if e.type in ("company", "model", "chip", "person", "lab"))
    all_stories = stories(args.stories, ids, {i: entities[i].name_ko for i in ids})
    rng = random.Random(11)
    subs = [Subscription(name=f"sub{i}", to=(f"reader{i}@example.org",), entities=tuple(rng.sample(ids, 25)),
                         max_items=50) for i in range(args.subscriptions)]
    env = render.environment()
    now = datetime.now(UTC)
    started = time.perf_counter()
    sizes, shown = [], 0
    for sub in subs:
        chosen = select.choose(all_stories, sub, entities)
        view = render.build_view(chosen, subscription=sub.name, period="2026-11-21", now=now, timezone=sub.timezone,
                                 entities=entities)
        subject, html, text = render.render(view, env)
        msg = mail.build_message(subject=subject, html=html, text=text, sender="sinowatch <d@example.org>",
                                 to=sub.to, msg_id=mail.message_id(sub.name, "p", "d@example.org"), date=now)
        sizes.append((len(html.encode("utf-8")), len(msg.as_bytes())))
        shown += len(view.entries)
    elapsed = time.perf_counter() - started
    print(f"{args.subscriptions} digests from {args.stories} stories ({shown} entries shown): "
          f"{elapsed:.2f} s total, {elapsed / args.subscriptions * 1000:.0f} ms per digest")
    print(f"largest HTML part {max(h for h, _ in sizes) / 1024:.0f} KB (Gmail clips above 100 KB), "
          f"largest whole message {max(m for _, m in sizes) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
