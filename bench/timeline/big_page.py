"""One live-blog page of N posts, for the cost of reading post markup.

Each post is a plain <div> inside the page's <article>: a <div> holding its
time, then a paragraph. --printed prints the time as text in a
<span class="post-time">; otherwise it is a <time datetime>.

    python3 bench/timeline/big_page.py 20000 --printed > /tmp/printed20000.html
    /usr/bin/time -f "%e s %M KB" target/release/thresh timeline /tmp/printed20000.html --format json > /dev/null
"""

import argparse
import random
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("posts", type=int)
    ap.add_argument("--printed", action="store_true", help="times as printed text, no datetime")
    args = ap.parse_args()
    rng = random.Random(1)
    out = ['<html><body><main><article class="live-blog"><h1>Big live</h1>']
    for i in range(args.posts):
        hour, minute = divmod(i % 1440, 60)
        clock = f"{hour:02d}:{minute:02d}"
        when = (f'<span class="post-time">{clock}</span>' if args.printed
                else f'<time datetime="2024-06-01T{clock}:00Z">{clock}</time>')
        out.append(f"<div><div>{when}</div><p>Post number {i} says something about item "
                   f"{rng.randint(0, 10**6)} today.</p></div>")
    out.append("</article></main></body></html>")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
