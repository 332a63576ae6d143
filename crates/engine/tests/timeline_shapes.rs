//! The timeline rules on live-blog pages of other shapes than the seeds,
//! written for these tests: bylines before posts, clock times ("12.31pm
//! GMT"), relative times ("2h ago"), ISO stamps, posts without headlines,
//! other furniture and teaser cards, several pages at once, articles.

mod timeline_common;

use std::sync::Arc;

use thresh_engine::timeline::{
    build_timelines, render, PageKind, Reason, Timeline, TimelineOptions,
};
use thresh_engine::Document;
use timeline_common::{assert_every_line_accounted_for, norm};

fn one(docs: &[Document]) -> Timeline {
    let mut timelines = build_timelines(docs, &TimelineOptions::default());
    assert_eq!(timelines.len(), 1);
    let t = timelines.remove(0);
    assert_every_line_accounted_for(docs, &t);
    t
}

/// Each post's headline, published time and number of versions.
fn headline_time_versions(t: &Timeline) -> Vec<(&str, Option<&str>, usize)> {
    t.posts
        .iter()
        .map(|p| (&*p.headline, p.published.as_deref(), p.versions.len()))
        .collect()
}

fn headlines(t: &Timeline) -> Vec<&str> {
    t.posts.iter().map(|p| &*p.headline).collect()
}

fn removed_reason(t: &Timeline, snapshot: usize, line: usize) -> (Reason, Option<&str>) {
    let r = t
        .removed
        .iter()
        .find(|r| r.snapshot == snapshot && r.line == line)
        .unwrap_or_else(|| panic!("line {line} of snapshot {snapshot} not removed"));
    (r.reason, r.of.as_deref())
}

// A storm live blog: clock times *before* each post, one post without a
// headline, a sign-up box and a social-media footer.
const STORM_1: &str = " date 2024-03-05T12:40 Storm Kasia live: gales close bridges and cancel trains
Winds of up to 90mph expected in coastal areas this afternoon
Get our breaking news alerts in your inbox every morning
12.31pm GMT
Harbour bridge shut to all traffic
The harbour bridge has been closed in both directions after a gust of 87mph was recorded at its midpoint, police said.
Drivers are being diverted through the tunnel.
11.58am GMT
The rail operator has cancelled all northern services for the rest of the day.
Passengers with tickets for today can use them tomorrow, the operator said.
11.02am GMT
Coastguard rescues two kayakers
Two kayakers were lifted from the water near the pier by a coastguard helicopter shortly before 11am.
Both were taken to hospital as a precaution.
Follow our live coverage on social media
";

// Ninety minutes later: a new post on top, the bridge post edited.
const STORM_2: &str = " date 2024-03-05T14:10 Storm Kasia live: gales close bridges and cancel trains
Winds of up to 90mph expected in coastal areas this afternoon
Get our breaking news alerts in your inbox every morning
1.47pm GMT
Power cut to 40,000 homes
About 40,000 homes are without electricity after falling trees brought down lines across three counties, the network operator said.
12.31pm GMT
Harbour bridge shut to all traffic
The harbour bridge has been closed in both directions after a gust of 91mph was recorded at its midpoint, police said.
Drivers are being diverted through the tunnel.
The bridge is expected to stay shut until at least 6pm.
11.58am GMT
The rail operator has cancelled all northern services for the rest of the day.
Passengers with tickets for today can use them tomorrow, the operator said.
11.02am GMT
Coastguard rescues two kayakers
Two kayakers were lifted from the water near the pier by a coastguard helicopter shortly before 11am.
Both were taken to hospital as a precaution.
Follow our live coverage on social media
";

#[test]
fn clock_times_before_posts_and_a_post_without_headline() {
    let docs = vec![
        Document::new("storm-2.txt", STORM_2),
        Document::new("storm-1.txt", STORM_1),
    ];
    let t = one(&docs);
    assert_eq!(t.snapshots[0].source, "storm-1.txt");
    assert_eq!(
        headlines(&t),
        [
            "Power cut to 40,000 homes",
            "Harbour bridge shut to all traffic",
            "",
            "Coastguard rescues two kayakers"
        ]
    );
    let times: Vec<_> = t.posts.iter().map(|p| p.published.as_deref()).collect();
    assert_eq!(
        times,
        [
            Some("2024-03-05T13:47+00:00"),
            Some("2024-03-05T12:31+00:00"),
            Some("2024-03-05T11:58+00:00"),
            Some("2024-03-05T11:02+00:00")
        ]
    );
    let rail = &t.posts[2];
    assert_eq!(rail.body.len(), 2);
    assert_eq!(rail.seen_in, [0, 1]);

    // The bridge post was edited: two versions, gust figure changed and a
    // paragraph added.
    let bridge = &t.posts[1];
    assert_eq!(bridge.versions.len(), 2);
    assert_eq!(bridge.body.len(), 3);
    assert!(bridge.versions[0].body[0].contains("87mph"));

    // Standfirst is summary; the alerts box and the footer are furniture;
    // every time line is the byline of the post under it.
    assert_eq!(t.summary.len(), 1);
    assert_eq!(removed_reason(&t, 0, 3), (Reason::Furniture, None));
    assert_eq!(removed_reason(&t, 0, 15).0, Reason::Furniture);
    assert_eq!(removed_reason(&t, 1, 4), (Reason::Byline, Some("p1")));
    assert_eq!(removed_reason(&t, 1, 7), (Reason::Byline, Some("p2")));
    assert_eq!(removed_reason(&t, 1, 12), (Reason::Byline, Some("p3")));
}

// Election night: "Name, 2h ago" bylines *after* each post; the capture
// time is known, so relative times become published times.
const ELECTION: &str = " date 2024-06-10T18:00:00Z Election night live: polls close in the east
Polls have closed in six eastern states
Counting has begun in all six states, with first results expected within the hour.
Priya Nair, 5 minutes ago
Turnout highest in two decades, officials say
Officials in three states said turnout had passed 70 per cent, the highest since 2004.
Priya Nair, 1h ago
Queues still long in the capital
Voters already in line when polls close will still be allowed to cast a ballot.
Tom Okafor, 2h ago
Sign up to our politics newsletter
";

#[test]
fn relative_times_after_posts() {
    let docs = vec![Document::new("election.txt", ELECTION)];
    let t = one(&docs);
    assert_eq!(
        headlines(&t),
        [
            "Polls have closed in six eastern states",
            "Turnout highest in two decades, officials say",
            "Queues still long in the capital"
        ]
    );
    let meta: Vec<_> = t
        .posts
        .iter()
        .map(|p| (p.author.as_deref(), p.published.as_deref()))
        .collect();
    assert_eq!(
        meta,
        [
            (Some("Priya Nair"), Some("2024-06-10T17:55")),
            (Some("Priya Nair"), Some("2024-06-10T17:00")),
            (Some("Tom Okafor"), Some("2024-06-10T16:00"))
        ]
    );
    assert!(t.summary.is_empty(), "the first post is no standfirst");
    assert_eq!(removed_reason(&t, 0, 11).0, Reason::Furniture);
}

// Bylines after their posts, on a page that does not end on a byline: a
// label and two teaser cards for other stories follow the last one.
const FERRY: &str = " date 2024-05-02 Ferry strike live: crossings cancelled
Ferries stay in port as talks fail
Talks between the operator and the union broke down at midnight, and no ferry will sail before Friday, the operator said.
Nina Berg2 May 2024 11:40
Union says pay offer fell short
The union said the offer of four per cent over two years did not cover the rise in prices since the last agreement.
Nina Berg2 May 2024 10:15
Islanders stock up on fuel and food
Shops on the islands reported queues from early morning as residents bought fuel, bread and medicine ahead of the weekend.
Karl Lund2 May 2024 09:05
Live
More on this story
Harbour works delayed until autumn
Record number of visitors to the islands last summer
";

#[test]
fn bylines_after_posts_when_teasers_end_the_page() {
    let docs = vec![Document::new("ferry.txt", FERRY)];
    let t = one(&docs);
    let meta: Vec<_> = t
        .posts
        .iter()
        .map(|p| (&*p.headline, p.published.as_deref()))
        .collect();
    // Each post keeps the time printed under it, not its neighbour's.
    assert_eq!(
        &meta[..3],
        [
            (
                "Ferries stay in port as talks fail",
                Some("2024-05-02T11:40")
            ),
            ("Union says pay offer fell short", Some("2024-05-02T10:15")),
            (
                "Islanders stock up on fuel and food",
                Some("2024-05-02T09:05")
            ),
        ]
    );
}

// The author on a line of its own above each time line, both under the
// post; one headline is as short as a name.
const COURT: &str = " date 2020-06-09 Appeal hearing live
Judges retire to consider the appeal
The three judges said they would give their decision in writing within a month, after two days of argument.
Hugo Doherty
9 June 2020, 12:38 CEST
Defence Rests Case
The defence finished its submissions shortly after noon, asking the court to order a retrial.
Felix Vidal
9 June 2020, 12:17 CEST
Prosecution opens with new evidence
The prosecution told the court it had found two witnesses who were not heard at the first trial.
Hugo Doherty
9 June 2020, 10:02 CEST
";

#[test]
fn author_lines_beside_time_lines_are_bylines() {
    let docs = vec![Document::new("court.txt", COURT)];
    let t = one(&docs);
    let meta: Vec<_> = t
        .posts
        .iter()
        .map(|p| (&*p.headline, p.author.as_deref(), p.published.as_deref()))
        .collect();
    assert_eq!(
        meta,
        [
            (
                "Judges retire to consider the appeal",
                Some("Hugo Doherty"),
                Some("2020-06-09T12:38+02:00")
            ),
            (
                "Defence Rests Case",
                Some("Felix Vidal"),
                Some("2020-06-09T12:17+02:00")
            ),
            (
                "Prosecution opens with new evidence",
                Some("Hugo Doherty"),
                Some("2020-06-09T10:02+02:00")
            ),
        ]
    );
}

// Each post's time printed at the start of its headline, set off by a bar.
const BESIDE: &str = " date 2022-06-06 Parliament live: vote on the budget
15:26 | Whips count votes ahead of the budget vote
Party whips spent the afternoon calling members who had not yet said how they would vote.
14:29 | Minister defends spending plans
The minister told the chamber that the plans would be paid for without new borrowing this year.
14:20 | Opposition tables amendment
The amendment would delay the vote until the fiscal watchdog has published its forecast.
";

#[test]
fn times_beside_headlines_are_the_posts_times() {
    let docs = vec![Document::new("beside.txt", BESIDE)];
    let t = one(&docs);
    let published: Vec<_> = t.posts.iter().map(|p| p.published.as_deref()).collect();
    assert_eq!(
        published,
        [
            Some("2022-06-06T15:26"),
            Some("2022-06-06T14:29"),
            Some("2022-06-06T14:20")
        ]
    );
    // The time is the post's, not part of its headline.
    let headlines: Vec<&str> = t.posts.iter().map(|p| &*p.headline).collect();
    assert_eq!(
        headlines,
        [
            "Whips count votes ahead of the budget vote",
            "Minister defends spending plans",
            "Opposition tables amendment"
        ]
    );
}

// Posts that open with a bare clock time; one headline is a single
// phrase of two words after its time.
const SHORT_TIMED: &str = " date 2022-06-06 Parliament live: vote on the budget
22:00 The debate is over and members are filing out of the chamber for the night.
21:34 Closing summary
The budget passed by 12 votes after a long day of debate in the chamber.
Three members of the governing party voted against it.
21:26 Ministers questioned by the finance committee
The two ministers have just started giving evidence to the committee.
21:00 Opposition leader says the plans will fail
She told reporters the spending plans did not add up.
";

// A page whose posts do not open with their times: an agenda inside a
// post keeps its times.
const AGENDA: &str = " date 2022-06-06 Parliament live: vote on the budget
11.40am BST
The day ahead
Here is what is planned for today in the chamber and the committees.
09:30 Questions
13:00 Budget debate
10.52am BST
Whips count votes
Party whips spent the morning calling members who had not yet said how they would vote.
10.15am BST
Minister defends spending plans
The minister said the plans would be paid for without new borrowing.
";

#[test]
fn a_short_headline_after_its_time_opens_a_post_where_posts_open_with_times() {
    let t = one(&[Document::new("short.txt", SHORT_TIMED)]);
    assert_eq!(
        headline_time_versions(&t),
        [
            (
                "The debate is over and members are filing out of the chamber for the night.",
                Some("2022-06-06T22:00"),
                1
            ),
            ("Closing summary", Some("2022-06-06T21:34"), 1),
            (
                "Ministers questioned by the finance committee",
                Some("2022-06-06T21:26"),
                1
            ),
            (
                "Opposition leader says the plans will fail",
                Some("2022-06-06T21:00"),
                1
            ),
        ]
    );
    let agenda = one(&[Document::new("agenda.txt", AGENDA)]);
    assert_eq!(agenda.posts.len(), 3);
    assert_eq!(
        agenda.posts[0].body[1..],
        [
            Arc::from("09:30 Questions"),
            Arc::from("13:00 Budget debate")
        ]
    );
}

// A sign-up box between two posts: its title and a button, neither a call
// on its own, between lines that are.
const SIGN_UP_BOX: &str = " date 2022-06-06 Parliament live: vote on the budget
11.40am BST
Whips count votes
Party whips spent the morning calling members who had not yet said how they would vote.
Sign up to our morning newsletter
Start your day with the Briefing
You can unsubscribe whenever you wish via the link in each email
Edit my preferences
Already a subscriber? Log in
Sponsored by Halden Bank
10.52am BST
Minister defends spending plans
The minister said the plans would be paid for without new borrowing.
";

#[test]
fn a_sign_up_box_between_posts_is_furniture_title_and_buttons_too() {
    let t = one(&[Document::new("box.txt", SIGN_UP_BOX)]);
    let bodies: Vec<Vec<&str>> = t
        .posts
        .iter()
        .map(|p| p.body.iter().map(|l| &**l).collect())
        .collect();
    assert_eq!(
        bodies,
        [
            vec!["Party whips spent the morning calling members who had not yet said how they would vote."],
            vec!["The minister said the plans would be paid for without new borrowing."],
        ]
    );
    for line in 5..=10 {
        assert_eq!(
            removed_reason(&t, 0, line).0,
            Reason::Furniture,
            "line {line}"
        );
    }
}

// A page with ISO stamps before headless posts, delivered as JSONL-style
// documents with URLs; a second page of the same site mixed in.
fn quake(date: &str, text: &str) -> Document {
    Document::new(format!("quake@{date}"), text)
        .with_url("https://example.org/live/quake")
        .with_date(date)
}

#[test]
fn iso_stamps_urls_and_mixed_pages() {
    let early = "2023-02-06T08:20:00Z\nRescue teams from 12 countries have arrived at the airport.\nThey will be deployed to the worst-hit provinces.";
    let late = "2023-02-06T09:05:00Z\nA magnitude 6.1 aftershock struck at 08:50 local time, the geological survey said.\n2023-02-06T08:20:00Z\nRescue teams from 14 countries have arrived at the airport.\nThey will be deployed to the worst-hit provinces.";
    let other = Document::new(
        "markets",
        "Shares fell sharply in early trading as investors weighed the damage.",
    )
    .with_url("https://example.org/live/markets")
    .with_date("2023-02-06");
    let docs = vec![
        quake("2023-02-06T10:00", late),
        other,
        quake("2023-02-06T08:30", early),
    ];
    let timelines = build_timelines(&docs, &TimelineOptions::default());
    assert_eq!(timelines.len(), 2, "two pages, two timelines");
    let t = timelines
        .iter()
        .find(|t| t.snapshots.len() == 2)
        .expect("the quake timeline");
    assert_every_line_accounted_for(&docs, t);
    assert_eq!(t.posts.len(), 2);
    assert_eq!(
        t.posts[0].published.as_deref(),
        Some("2023-02-06T09:05+00:00")
    );
    let rescue = &t.posts[1];
    assert_eq!(rescue.published.as_deref(), Some("2023-02-06T08:20+00:00"));
    assert_eq!(rescue.versions.len(), 2, "12 → 14 countries is an edit");
    assert!(rescue.body[0].contains("14 countries"));
    assert_eq!(rescue.seen_in, [0, 1]);
    // Both pages number their posts from p1; one HTML document keeps
    // every anchor unique.
    let html = render::html(&timelines);
    let ids: Vec<&str> = html
        .split("<article id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
}

// A teaser of another shape: a "Recommended" card repeating a post's
// headline with a one-sentence blurb, and a headline-only key-event link.
const TEASERS: &str = " date 2024-09-01 Wildfire live: evacuations widen
Thousands more told to leave as flames jump the highway
Evacuation zone extended to the lakeside towns
Residents of four lakeside towns were told to leave by 8pm as the fire crossed the highway.
Buses will run from the town halls every half hour.
Firefighting aircraft grounded by smoke
Water bombers could not take off this morning because of thick smoke over the valley, the fire service said.
Evacuation zone extended to the lakeside towns
Four towns told to leave as the fire crosses the highway.
Share this page on social media
";

#[test]
fn teaser_cards_with_blurbs_are_furniture() {
    let docs = vec![Document::new("fire.txt", TEASERS)];
    let t = one(&docs);
    assert_eq!(
        headlines(&t),
        [
            "Evacuation zone extended to the lakeside towns",
            "Firefighting aircraft grounded by smoke"
        ]
    );
    assert_eq!(removed_reason(&t, 0, 8), (Reason::Furniture, Some("p1")));
    assert_eq!(removed_reason(&t, 0, 9), (Reason::Furniture, Some("p1")));
    assert_eq!(removed_reason(&t, 0, 10).0, Reason::Furniture);
}

// A single article captured three times: a quote-and-spacing-only change
// (same version), an edit, then a second page appended.
fn capture(date: &str, paragraphs: &[&str]) -> Document {
    Document::new(format!("capture-{date}"), paragraphs.join("\n\n"))
        .with_url("https://news.example.com/2015/03/01/bridge.html")
        .with_title("City Approves New Bridge")
        .with_date(date)
}

#[test]
fn single_article_versions_and_pagination() {
    let page1 = [
        "The city council voted 7-2 on Tuesday to approve a new bridge across the river.",
        "Construction is expected to begin next spring and take three years.",
        "Opponents said the bridge would bring more traffic to quiet neighborhoods.",
        "The mayor called the vote \"a historic day\" for the city.",
    ];
    let spaced = [
        page1[0],
        page1[1],
        "Opponents said the bridge would bring more traffic to quiet neighborhoods .",
        "The mayor called the vote “a historic day” for the city.",
    ];
    let edited = [
        page1[0],
        page1[1],
        page1[2],
        "The mayor called the vote \"a historic day\" for the whole city.",
    ];
    let mut paginated: Vec<&str> = edited.to_vec();
    paginated.extend([
        "The bridge will cost an estimated $240 million, most of it from state funds.",
        "Engineers chose a cable-stayed design to leave room for river traffic.",
        "A public hearing on the final design is scheduled for June.",
        "Advertisement",
    ]);
    let docs = vec![
        capture("2015-03-01T10:00:00Z", &page1),
        capture("2015-03-01T12:00:00Z", &spaced),
        capture("2015-03-02T09:00:00Z", &edited),
        capture("2015-04-10T09:00:00Z", &paginated),
    ];
    let t = one(&docs);
    assert_eq!(t.kind, PageKind::Article);
    assert_eq!(t.posts.len(), 1);
    let post = &t.posts[0];
    assert_eq!(&*post.headline, "City Approves New Bridge");
    assert_eq!(post.versions.len(), 3);
    assert_eq!(
        (post.versions[0].first_seen, post.versions[0].last_seen),
        (0, 1)
    );
    assert!(matches!(
        post.versions[1].change,
        thresh_engine::timeline::Change::Edited { changed: 1, .. }
    ));
    assert_eq!(
        post.versions[2].change,
        thresh_engine::timeline::Change::Paginated { added: 3 }
    );
    assert_eq!(post.body.len(), 7);
    assert_eq!(removed_reason(&t, 3, 15).0, Reason::Furniture);
}

// Bad input: nothing here may panic, and lines are still accounted for.
#[test]
fn bad_input_never_panics() {
    let megabyte_line = "word ".repeat(220_000);
    let junk: String = (0..2000u32)
        .map(|i| char::from_u32((i * 7919) % 0x2FF).unwrap_or('?'))
        .collect();
    let docs = vec![
        Document::new("empty.txt", ""),
        Document::new("blank.txt", "\n\n   \n"),
        Document::new(
            "junk.bin",
            format!("{junk}\n\u{FFFD}\u{FFFD}\u{1}\u{2}\n{junk}"),
        ),
        Document::new(
            "huge.txt",
            format!(" date 2024-01-01 Huge\nA short headline\n{megabyte_line}"),
        ),
        Document::new(
            "undated.txt",
            "Something happened\nAnd it was reported here in full.",
        ),
        Document::new("header-only.txt", " date 2024-01-02 Just a title"),
        Document::new("bad-header.txt", " date 2024-13-45 Not a date\nText."),
        Document::new(
            "dates.txt",
            "99.99am GMT\n25:61\n0 ago\n2024-02-30T10:00\n31 February 2024 10:00",
        ),
    ];
    for group_by in [
        thresh_engine::timeline::GroupBy::Auto,
        thresh_engine::timeline::GroupBy::None,
        thresh_engine::timeline::GroupBy::Title,
    ] {
        let options = TimelineOptions {
            group_by,
            ..TimelineOptions::default()
        };
        let timelines = build_timelines(&docs, &options);
        let snapshots: usize = timelines.iter().map(|t| t.snapshots.len()).sum();
        assert_eq!(snapshots, docs.len());
        for t in &timelines {
            assert_every_line_accounted_for(&docs, t);
            let _ = thresh_engine::timeline::render::markdown(std::slice::from_ref(t));
            let _ = thresh_engine::timeline::render::html(std::slice::from_ref(t));
            let _ = thresh_engine::timeline::render::json(std::slice::from_ref(t));
        }
    }
    assert!(build_timelines(&[], &TimelineOptions::default()).is_empty());
}

#[test]
fn single_and_thousands_of_snapshots() {
    let single = vec![Document::new("one.txt", STORM_1)];
    assert_eq!(one(&single).posts.len(), 3);

    // 2,000 tiny undated snapshots of one untitled page: one timeline.
    let docs: Vec<Document> = (0..2000)
        .map(|i| {
            Document::new(
                format!("s{i:04}"),
                format!(
                    "Post number {i} arrives\nThe text of post {i} says something new about event {i}.\nOlder post stays\nThis paragraph is in every snapshot of the page."
                ),
            )
        })
        .collect();
    let options = TimelineOptions {
        group_by: thresh_engine::timeline::GroupBy::None,
        ..TimelineOptions::default()
    };
    let timelines = build_timelines(&docs, &options);
    assert_eq!(timelines.len(), 1);
    let t = &timelines[0];
    assert_every_line_accounted_for(&docs, t);
    assert_eq!(t.posts.len(), 2001);
    let older = t
        .posts
        .iter()
        .find(|p| norm(&p.headline) == "older post stays")
        .unwrap();
    assert_eq!(older.seen_in.len(), 2000);
}

/// Clock-only times under day dividers take the divider's day, even when
/// the crawl's date (UTC) is the next day already: the same post is not
/// dated a day later in the later crawl, and so not reported twice.
#[test]
fn day_dividers_date_the_clock_times_below_them() {
    let older_posts = "Wednesday, 17 September 2025
16:27
Polls close in the north
Counting has begun in the northern provinces, officials said.
Tuesday, 16 September 2025
09:00
Voters queue from dawn
Long queues formed outside polling stations across the capital.
";
    let docs = vec![
        Document::new(
            "vote-1.txt",
            format!(" date 2025-09-17 Election live\n{older_posts}"),
        ),
        Document::new(
            "vote-2.txt",
            format!(
                " date 2025-09-18 Election live\nWednesday, 17 September 2025\n23:40\n\
                 Turnout passes 70 per cent\nThe electoral commission said turnout was the highest in twenty years.\n\
                 {}",
                older_posts.split_once('\n').unwrap().1
            ),
        ),
    ];
    let t = one(&docs);
    let times: Vec<(&str, Option<&str>)> = t
        .posts
        .iter()
        .map(|p| (&*p.headline, p.published.as_deref()))
        .collect();
    assert_eq!(
        times,
        [
            ("Turnout passes 70 per cent", Some("2025-09-17T23:40")),
            ("Polls close in the north", Some("2025-09-17T16:27")),
            ("Voters queue from dawn", Some("2025-09-16T09:00")),
        ]
    );
}

/// A summary edited between crawls is shown newest first, once, with the
/// paragraphs only older crawls had folded away as its earlier versions.
#[test]
fn an_edited_summary_shows_the_newest_with_its_earlier_versions() {
    let page = |date: &str, summary: &str, posts: &str| {
        format!(" date {date} Storm live\n{summary}\n{posts}")
    };
    let older_post =
        "10.15am GMT\nBridges close\nThe two main bridges closed at noon, the council said.\n";
    let newer_post = "11.40am GMT\nTrains cancelled\nAll trains north of the city were cancelled until Monday.\n";
    let docs = vec![
        Document::new(
            "storm-1.txt",
            page(
                "2024-03-05",
                "Gales of 80mph are expected on the coast this afternoon.",
                older_post,
            ),
        ),
        Document::new(
            "storm-2.txt",
            page(
                "2024-03-05",
                "Gales of 90mph hit the coast, closing bridges and cancelling trains.",
                &format!("{newer_post}{older_post}"),
            ),
        ),
    ];
    let t = one(&docs);
    assert_eq!(t.summary.len(), 2, "{:?}", t.summary);
    assert_eq!(t.summary_newest, 1);
    assert!(t.summary[0].starts_with("Gales of 90mph"));
    let markdown = render::markdown(std::slice::from_ref(&t));
    let (shown, folded) = markdown
        .split_once("<details>")
        .expect("earlier versions folded");
    assert!(shown.contains("Gales of 90mph"));
    assert!(!shown.contains("Gales of 80mph"));
    assert!(folded.contains("Gales of 80mph"));
    let html = render::html(std::slice::from_ref(&t));
    assert!(
        html.contains("<details><summary>1 paragraph of earlier versions of the summary</summary>")
    );
    // JSON keeps them apart too: `summary` is the newest only.
    let json: serde_json::Value =
        serde_json::from_str(&render::json(std::slice::from_ref(&t))).unwrap();
    let texts = |key: &str| -> Vec<String> {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().chars().take(14).collect())
            .collect()
    };
    assert_eq!(texts("summary"), ["Gales of 90mph"]);
    assert_eq!(texts("summary_earlier"), ["Gales of 80mph"]);
}

/// A crawl made just after midnight dates bare clock times on its own
/// (next) day; an edited post seen in it is still the post an earlier
/// crawl dated the day before, with two versions, not a second post.
#[test]
fn an_edit_crawled_after_midnight_is_a_version_not_a_new_post() {
    let page = |date: &str, edited: &str| {
        format!(
            " date {date} Election night live\n23:40\nFirst results declared\n\
             The first three seats were declared just before midnight.{edited}\n\
             22:10\nPolls close\nPolls closed at ten and counting has begun in every district.\n"
        )
    };
    let docs = vec![
        Document::new("night-1.txt", page("2024-07-04", "")),
        Document::new(
            "night-2.txt",
            page(
                "2024-07-05",
                " Turnout in all three was lower than in 2019.",
            ),
        ),
    ];
    let t = one(&docs);
    let posts = headline_time_versions(&t);
    assert_eq!(
        posts,
        [
            ("First results declared", Some("2024-07-04T23:40"), 2),
            ("Polls close", Some("2024-07-04T22:10"), 1),
        ]
    );
}

/// Three crawls of a page that prints clock times without dates; the
/// second was made just after midnight and, having no time of capture,
/// puts the evening's posts on its own day. The third crawl saw midnight
/// pass between its posts and dates them right, so the second's days move
/// back: it stays between the others, and a one-sentence post rewritten
/// between the second and third crawls is one post with two versions.
#[test]
fn a_crawl_just_after_midnight_takes_the_days_the_other_crawls_give() {
    let post = |clock: &str, text: &str| format!("{clock}\nAnn Lee\n{text}\n");
    let evening = [
        post(
            "9.05pm BST",
            "Counting has begun in all forty districts, officials said.",
        ),
        post(
            "8.30pm BST",
            "Polls closed at eight and the first boxes are on their way.",
        ),
    ]
    .concat();
    let before_midnight = |rewritten: &str| {
        [
            post(
                "11.50pm BST",
                "The first district declared with a turnout of sixty per cent.",
            ),
            post("11.15pm BST", rewritten),
        ]
        .concat()
    };
    let first = "Officials expect the first result before midnight, well ahead of schedule.";
    let second = "A recount was ordered in the northern district after a narrow margin there.";
    let morning = [
        post(
            "8.45am BST",
            "All forty districts have now declared their results overnight.",
        ),
        post(
            "12.05am BST",
            "Turnout across the first ten districts was lower than in 2019.",
        ),
    ]
    .concat();
    let page = |date: &str, posts: String| format!(" date {date} Count live\n{posts}");
    let docs = vec![
        Document::new("count-1.txt", page("2024-07-04", evening.clone())),
        Document::new(
            "count-2.txt",
            page("2024-07-05", before_midnight(first) + &evening),
        ),
        Document::new(
            "count-3.txt",
            page("2024-07-05", morning + &before_midnight(second) + &evening),
        ),
    ];
    let t = one(&docs);
    let order: Vec<&str> = t.snapshots.iter().map(|s| &*s.source).collect();
    assert_eq!(order, ["count-1.txt", "count-2.txt", "count-3.txt"]);
    let rewritten: Vec<_> = t
        .posts
        .iter()
        .filter(|p| p.published.as_deref() == Some("2024-07-04T23:15+01:00"))
        .collect();
    assert_eq!(rewritten.len(), 1, "{:#?}", t.posts);
    assert_eq!(rewritten[0].versions.len(), 2);
    assert_eq!(&*rewritten[0].body[0], second);
    let late = t
        .posts
        .iter()
        .find(|p| p.body[0].contains("turnout of sixty"));
    assert_eq!(
        late.and_then(|p| p.published.as_deref()),
        Some("2024-07-04T23:50+01:00")
    );
    assert_eq!(t.posts.len(), 6);
}

/// A post's only paragraph rewritten under the same headline and time
/// shares no words with what it replaced; it is still one post, with two
/// versions.
#[test]
fn a_paragraph_rewritten_under_its_headline_and_time_is_a_version() {
    let page = |date: &str, paragraph: &str| {
        format!(
            " date {date} Budget live\n17:13\nChancellor to speak at four\n{paragraph}\n\
             16:40\nSpeech moved to the afternoon\n\
             Aides said the speech had been moved from the morning to let markets close first.\n\
             16:02\nMarkets steady ahead of the statement\n\
             Shares in London were little changed in the hour before the statement was due.\n"
        )
    };
    let docs = vec![
        Document::new(
            "budget-1.txt",
            page(
                "2024-03-06",
                "The statement is expected to run for about an hour, with questions afterwards.",
            ),
        ),
        Document::new(
            "budget-2.txt",
            page(
                "2024-03-06",
                "Officials now say the speech will be short, followed by a press conference.",
            ),
        ),
    ];
    let t = one(&docs);
    let posts = headline_time_versions(&t);
    assert_eq!(
        posts,
        [
            ("Chancellor to speak at four", Some("2024-03-06T17:13"), 2),
            ("Speech moved to the afternoon", Some("2024-03-06T16:40"), 1),
            (
                "Markets steady ahead of the statement",
                Some("2024-03-06T16:02"),
                1
            ),
        ]
    );
    assert!(t.posts[0].body[0].starts_with("Officials now say"));
}

/// A one-sentence post without headline or author rewritten whole: the
/// old sentence leaves the page as the new one appears at its minute, so
/// it is one post with two versions. A post that joins another at the
/// same minute, the other still on the page, is a post of its own.
#[test]
fn a_short_post_rewritten_whole_is_a_version_unless_the_old_stays() {
    const OLD: &str = "The coastguard said two boats were still unaccounted for off the headland.";
    const NEW: &str = "Both missing boats have now been found safe, the coastguard said.";
    const OTHER: &str =
        "Trains between the two cities will not run before noon tomorrow, the operator said.";
    const EARLIER: &str =
        "Winds of up to ninety miles an hour were recorded on the exposed western coast.";
    let page = |posts: &[&str]| {
        let mut text = String::from(" date 2024-01-21 Storm live\n");
        for (i, post) in posts.iter().enumerate() {
            let clock = if i + 1 == posts.len() {
                "20:40"
            } else {
                "21:13"
            };
            text.push_str(&format!("{clock}\n{post}\n"));
        }
        text
    };
    let docs = vec![
        Document::new("storm-1.txt", page(&[OLD, EARLIER])),
        Document::new("storm-2.txt", page(&[NEW, EARLIER])),
        Document::new("storm-3.txt", page(&[OTHER, NEW, EARLIER])),
    ];
    let t = one(&docs);
    let mut posts: Vec<(&str, usize)> = t
        .posts
        .iter()
        .map(|p| (&*p.body[0], p.versions.len()))
        .collect();
    posts.sort_unstable();
    let mut expected = vec![(NEW, 2), (OTHER, 1), (EARLIER, 1)];
    expected.sort_unstable();
    assert_eq!(posts, expected);
}

/// A page that prints a post without headline twice (once with curly
/// quotes, once with straight ones and a prompt after it) shows one post;
/// the second copy is a duplicate, not a post of its own.
#[test]
fn a_headless_post_printed_twice_on_a_page_is_one_post() {
    let curly = "It comes as the agency’s review would publish the stress test ahead of Friday.\n\
                 “Our job is to challenge the figures, and we won’t stop,” she said.";
    let straight =
        "It comes as the agency's review would publish the stress test ahead of Friday.\n\
                    \"Our job is to challenge the figures, and we won't stop,\" she said.\n\
                    Before you go on:";
    let page = |copies: &[&str]| {
        let mut text = String::from(" date 2017-07-23 Markets live\n");
        for copy in copies {
            text.push_str(&format!("7.57am EDT\nOscar Reid\n{copy}\n"));
        }
        text.push_str(
            "7.30am EDT\nOscar Reid\nFutures pointed to a flat open after a quiet night in Asia.\n",
        );
        text
    };
    let docs = vec![
        Document::new("markets-1.txt", page(&[curly])),
        Document::new("markets-2.txt", page(&[curly, straight])),
    ];
    let t = one(&docs);
    let at_757: Vec<_> = t
        .posts
        .iter()
        .filter(|p| p.published.as_deref() == Some("2017-07-23T07:57-04:00"))
        .collect();
    assert_eq!(at_757.len(), 1, "{:#?}", t.posts);
    assert_eq!(at_757[0].versions.len(), 1);
    assert_eq!(t.posts.len(), 2);
}

// Stamps before their posts; the oldest post's foot is given by each test.
const FOOT_PAGE: &str =
    " date 2024-03-05T15:00 Storm Kasia live: gales close bridges and cancel trains
2.40pm GMT
Ferries suspended
All ferry crossings have been suspended until tomorrow morning, the port authority said.
1.15pm GMT
Schools close early
Schools across the county closed at lunchtime as the winds strengthened, the council said.
12.02pm GMT
Flood warnings issued
Eleven flood warnings are in force along the coast, the environment agency said.
";

// Under the oldest post, a prompt and the page's related-story cards
// (headline-like lines to the end of the page).
const FOOT_CARDS: &str = "Tell us what you think in the comments
Council leader rejects criticism over storm funding delays
Inside the race to restore power across the northern valleys
";

// The oldest post runs on after an advert inside it.
const FOOT_TEXT: &str = "Advertisement
Residents in low-lying streets have been told to move valuables upstairs.
";

#[test]
fn related_story_cards_under_the_oldest_post_are_furniture() {
    let docs = vec![Document::new(
        "foot.txt",
        format!("{FOOT_PAGE}{FOOT_CARDS}"),
    )];
    let t = one(&docs);
    let oldest = t.posts.last().expect("posts");
    assert_eq!(&*oldest.headline, "Flood warnings issued");
    assert_eq!(
        oldest.body,
        [Arc::from(
            "Eleven flood warnings are in force along the coast, the environment agency said."
        )]
    );
    for line in [12, 13] {
        assert_eq!(removed_reason(&t, 0, line).0, Reason::Furniture);
    }
    // Running text after an advert is still the post's.
    let t = one(&[Document::new("foot.txt", format!("{FOOT_PAGE}{FOOT_TEXT}"))]);
    assert_eq!(t.posts.last().expect("posts").body.len(), 2);
}
