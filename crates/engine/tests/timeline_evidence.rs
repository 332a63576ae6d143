//! Segmentation on a page whose posts all carry times, with furniture no
//! rule of wording knows: the page's stamps decide where posts begin, and
//! what the crawls show together decides what is furniture.

mod timeline_common;

use std::sync::Arc;

use thresh_engine::timeline::{build_timelines, Reason, Timeline, TimelineOptions};
use thresh_engine::Document;
use timeline_common::assert_every_line_accounted_for;

// Times before each post. Inside the army post, a photo caption without
// closing punctuation; between posts, a prompt in words no furniture rule
// lists; at the bottom, a teaser card for another story.
const FLOOD_1: &str = " date 2024-05-10 Flood live: river bursts its banks
11.40am GMT
Army called in to build barriers
Soldiers arrived in the town centre to fill sandbags along the river wall.
Mayor Ines Toft speaking at the town hall
She said the town would need weeks to recover.
Tell us what you have seen near you
10.52am GMT
Schools close early
All schools in the valley closed at noon, the council said.
Tell us what you have seen near you
10.15am GMT
Residents told to leave riverside homes
Police went door to door in the lower streets before dawn.
Floods hit three rail lines in the north
";

// Later: a new post on top, the prompt elsewhere, no teaser.
const FLOOD_2: &str = " date 2024-05-10 Flood live: river bursts its banks
12.20pm GMT
River peaks below the record
The river reached 4.1 metres at noon, just short of the 1998 record.
Tell us what you have seen near you
11.40am GMT
Army called in to build barriers
Soldiers arrived in the town centre to fill sandbags along the river wall.
Mayor Ines Toft speaking at the town hall
She said the town would need weeks to recover.
10.52am GMT
Schools close early
All schools in the valley closed at noon, the council said.
10.15am GMT
Residents told to leave riverside homes
Police went door to door in the lower streets before dawn.
";

fn flood() -> (Vec<Document>, Timeline) {
    let docs = vec![
        Document::new("flood-1.txt", FLOOD_1),
        Document::new("flood-2.txt", FLOOD_2),
    ];
    let mut timelines = build_timelines(&docs, &TimelineOptions::default());
    assert_eq!(timelines.len(), 1);
    let t = timelines.remove(0);
    assert_every_line_accounted_for(&docs, &t);
    (docs, t)
}

/// Why each copy of `line` was removed from the page's posts.
fn removal_reasons(t: &Timeline, line: &str) -> Vec<Reason> {
    t.removed
        .iter()
        .filter(|r| &*r.text == line)
        .map(|r| r.reason)
        .collect()
}

/// The post one of whose paragraphs contains `text`.
fn post_containing<'t>(t: &'t Timeline, text: &str) -> &'t thresh_engine::timeline::Post {
    t.posts
        .iter()
        .find(|p| p.body.iter().any(|l| l.contains(text)))
        .unwrap_or_else(|| panic!("no post says {text:?}"))
}

fn post_lines(t: &Timeline) -> Vec<String> {
    t.posts
        .iter()
        .flat_map(|p| {
            std::iter::once(p.headline.to_string()).chain(p.body.iter().map(|l| l.to_string()))
        })
        .collect()
}

#[test]
fn only_stamps_open_posts_on_a_page_that_stamps_every_post() {
    let (_, t) = flood();
    let headlines: Vec<&str> = t.posts.iter().map(|p| &*p.headline).collect();
    assert_eq!(
        headlines,
        [
            "River peaks below the record",
            "Army called in to build barriers",
            "Schools close early",
            "Residents told to leave riverside homes",
        ]
    );
    // The caption stays inside its post instead of opening a fragment.
    let army = &t.posts[1];
    assert!(army
        .body
        .iter()
        .any(|l| &**l == "Mayor Ines Toft speaking at the town hall"));
    assert_eq!(army.versions.len(), 1, "the army post was not edited");
}

#[test]
fn a_line_printed_in_several_posts_gaps_is_furniture() {
    let (_, t) = flood();
    let prompt = "Tell us what you have seen near you";
    assert!(!post_lines(&t).iter().any(|l| l == prompt));
    let removed = removal_reasons(&t, prompt);
    assert_eq!(removed, [Reason::Furniture; 3]);
}

#[test]
fn a_card_beside_a_post_in_one_crawl_only_is_furniture() {
    let (_, t) = flood();
    let teaser = "Floods hit three rail lines in the north";
    assert!(!post_lines(&t).iter().any(|l| l == teaser));
    let residents = t.posts.last().expect("posts");
    assert_eq!(residents.versions.len(), 1, "no version for the card");
}

#[test]
fn a_page_retitled_at_its_end_stays_one_timeline() {
    let retitled = FLOOD_2.replace(
        "Flood live: river bursts its banks",
        "Flood: river bursts its banks – as it happened",
    );
    let docs = vec![
        Document::new("flood-1.txt", FLOOD_1),
        Document::new("flood-2.txt", &retitled),
    ];
    let timelines = build_timelines(&docs, &TimelineOptions::default());
    assert_eq!(timelines.len(), 1, "the same posts under a new title");
    assert_eq!(timelines[0].posts.len(), 4);
    // Other pages of the site keep their own timelines.
    let other = Document::new(
        "other.txt",
        " date 2024-05-10 Election night live\n9.00pm GMT\nPolls close\nVoting ended at 9pm and counting begins in every ward tonight.\n",
    );
    let docs = vec![docs[0].clone(), docs[1].clone(), other];
    assert_eq!(build_timelines(&docs, &TimelineOptions::default()).len(), 2);
}

/// A crawl of a page that prints only its newest twelve posts, with the
/// posts numbered `first..first + 12`, newest first, each stamped with
/// its author, day and time.
fn newest_twelve(title: &str, first: u32) -> String {
    let mut page = format!(" date 2024-05-10 {title}\n");
    for n in (first..first + 12).rev() {
        page.push_str(&format!(
            "Ana Ruiz10 May 2024 {:02}:{:02}\nUpdate {n}: crews reported that the water in district {n} had risen again overnight.\n",
            8 + n / 60,
            n % 60
        ));
    }
    page
}

#[test]
fn a_retitled_page_that_kept_few_posts_is_one_page_by_their_stamps() {
    // Hours apart, the page kept two posts of twelve, and changed title.
    let docs = vec![
        Document::new("flood-1.txt", newest_twelve("Flood live", 0)),
        Document::new("flood-2.txt", newest_twelve("Flood: as it happened", 10)),
    ];
    let timelines = build_timelines(&docs, &TimelineOptions::default());
    assert_eq!(timelines.len(), 1, "the same page under a new title");
    assert_eq!(timelines[0].posts.len(), 22);
    // Another page that repeats two of the paragraphs, stamped otherwise
    // (a recap), is another page.
    let recap = newest_twelve("Flood live", 0)
        .replace("Flood live", "Storm live")
        .replace("Ana Ruiz", "Ian Quinn");
    let docs = vec![
        Document::new("storm.txt", recap),
        Document::new("flood-2.txt", newest_twelve("Flood: as it happened", 10)),
    ];
    assert_eq!(build_timelines(&docs, &TimelineOptions::default()).len(), 2);
}

#[test]
fn crawls_of_one_day_without_capture_times_go_by_their_newest_post() {
    // The later crawl given first: only its post times say it is later.
    let docs = vec![
        Document::new("b.txt", FLOOD_2),
        Document::new("a.txt", FLOOD_1),
    ];
    let t = &build_timelines(&docs, &TimelineOptions::default())[0];
    let sources: Vec<&str> = t.snapshots.iter().map(|s| s.source.as_str()).collect();
    assert_eq!(sources, ["a.txt", "b.txt"]);
    let newest = &t.posts[0];
    assert_eq!(&*newest.headline, "River peaks below the record");
    assert_eq!(newest.first_seen, 1);
}

#[test]
fn crawls_nothing_tells_apart_go_the_way_the_other_crawls_names_run() {
    // Named newest first: "1" and "2" show the same newest post (only an
    // edit between them), "3" is older. The names of 2 and 3 run against
    // time, so 1 is taken for newer than 2, and the edit for the newest
    // text.
    let page = |schools: &str, with_schools: bool| {
        let schools = if with_schools {
            format!("10.52am GMT\nSchools close early\n{schools}\n")
        } else {
            String::new()
        };
        format!(
            " date 2024-05-10 Flood live\n{schools}10.15am GMT\nResidents told to leave riverside homes\nPolice went door to door in the lower streets before dawn.\n9.40am GMT\nSandbags handed out\nThe council gave out 5,000 sandbags overnight.\n9.05am GMT\nRiver rising fast\nThe river rose a metre in three hours.\n"
        )
    };
    let first = "All schools in the valley closed at noon, the council said.";
    let edited =
        "All schools in the valley closed at noon, the council said. Buses will take pupils home.";
    let docs = vec![
        Document::new("1.txt", page(edited, true)),
        Document::new("2.txt", page(first, true)),
        Document::new("3.txt", page("", false)),
    ];
    let t = &build_timelines(&docs, &TimelineOptions::default())[0];
    let sources: Vec<&str> = t.snapshots.iter().map(|s| s.source.as_str()).collect();
    assert_eq!(sources, ["3.txt", "2.txt", "1.txt"]);
    let schools = &t.posts[0];
    assert_eq!(&*schools.headline, "Schools close early");
    assert_eq!(
        schools.body.iter().map(|l| &**l).collect::<Vec<_>>(),
        [edited]
    );
    assert_eq!(schools.versions.len(), 2);
}

#[test]
fn posts_a_day_apart_at_the_same_clock_time_stay_two_posts() {
    // Clock times without dates on a page that runs over two days: the
    // same "9.15am GMT" names two posts, whose lines are no furniture.
    let day_2 = " date 2024-05-11T10:00 Flood live
9.40am GMT
Clean-up begins in the town centre
Volunteers cleared mud from the high street as the water went down.
9.15am GMT
Second night in shelters for 200 people
The council said the shelters would stay open until the weekend.
9.40pm GMT
Water stops rising overnight
The river held at 4.1 metres through the evening, the agency said.
9.15am GMT
River bursts its banks
The river broke through the wall at dawn, flooding the lower streets.
";
    let day_2_later = day_2.replace(
        " date 2024-05-11T10:00 Flood live\n",
        " date 2024-05-11T11:00 Flood live\n10.30am GMT\nRail line reopens\nTrains ran again on the valley line from 10am.\n",
    );
    let docs = vec![
        Document::new("a.txt", day_2),
        Document::new("b.txt", &day_2_later),
    ];
    let t = &build_timelines(&docs, &TimelineOptions::default())[0];
    let headlines: Vec<&str> = t.posts.iter().map(|p| &*p.headline).collect();
    assert_eq!(
        headlines,
        [
            "Rail line reopens",
            "Clean-up begins in the town centre",
            "Second night in shelters for 200 people",
            "Water stops rising overnight",
            "River bursts its banks",
        ]
    );
    assert_eq!(
        t.posts[2].published.as_deref(),
        Some("2024-05-11T09:15+00:00")
    );
    assert_eq!(
        t.posts[4].published.as_deref(),
        Some("2024-05-10T09:15+00:00")
    );
}

#[test]
fn day_dividers_do_not_open_posts_on_a_page_that_times_its_posts() {
    let page = " date 2019-03-12 Trial live
Tuesday 12 March
03:12 The jury retired for the night after a long day of evidence.
01:44 Lawyers for the defence asked for an adjournment until Thursday.
The judge said she would rule on the request in the morning.
Monday 11 March
23:21 The court sat late to hear the last prosecution witness.
She described the night of the fire in detail.
Monday 11 March
22:05 The trial resumed after a short break for the jury.
";
    let docs = vec![Document::new("trial.txt", page)];
    let t = &build_timelines(&docs, &TimelineOptions::default())[0];
    assert_every_line_accounted_for(&docs, t);
    let times: Vec<&str> = t
        .posts
        .iter()
        .filter_map(|p| p.published.as_deref())
        .collect();
    assert_eq!(
        times,
        [
            "2019-03-12T03:12",
            "2019-03-12T01:44",
            "2019-03-11T23:21",
            "2019-03-11T22:05"
        ]
    );
    assert_eq!(
        t.posts[1].body.len() + usize::from(!t.posts[1].headline.is_empty()),
        2
    );
}

#[test]
fn a_page_that_ends_on_a_short_post_is_read_the_way_its_crawls_agree() {
    // Times before posts, but the page ends on a one-sentence post and
    // opens with a headline-like label: read either way, as many posts get
    // a time. Only the crawls together show that each time heads the post
    // below it (read the other way, 10.40am would head the label in one
    // crawl and the trains post in the next).
    let crawl = |date: &str, newest: &str| {
        format!(
            " date {date} Storm live\nWhat we know so far\n{newest}10.40am GMT\nBridge closed to traffic\nThe bridge closed at 10am, police said.\n10.10am GMT\nSchools shut for the day\nAll schools in the valley shut today.\n9.50am GMT\nRain warning issued\nAn amber warning is in force.\n"
        )
    };
    let docs = vec![
        Document::new("a.txt", crawl("2024-05-10T11:00", "")),
        Document::new(
            "b.txt",
            crawl(
                "2024-05-10T11:30",
                "11.05am GMT\nTrains cancelled this afternoon\nNo trains will run after noon.\n",
            ),
        ),
    ];
    let t = &build_timelines(&docs, &TimelineOptions::default())[0];
    let posts: Vec<(&str, Option<&str>)> = t
        .posts
        .iter()
        .map(|p| (&*p.headline, p.published.as_deref()))
        .collect();
    assert_eq!(
        posts,
        [
            (
                "Trains cancelled this afternoon",
                Some("2024-05-10T11:05+00:00")
            ),
            ("Bridge closed to traffic", Some("2024-05-10T10:40+00:00")),
            ("Schools shut for the day", Some("2024-05-10T10:10+00:00")),
            ("Rain warning issued", Some("2024-05-10T09:50+00:00")),
        ]
    );
}

#[test]
fn a_day_divider_above_a_time_line_leaves_the_post_its_time() {
    let page = " date 2018-11-26 Storm live
Monday, 26 November 2018
14:09
Shelter opens downtown
The council opened a shelter in the library for 200 people.
13:40
Roads closed on the coast
Police closed the coast road after waves breached the wall.
Sunday, 25 November 2018
21:56
Damage assessment begins
Engineers began checking the sea wall at first light.
";
    let docs = vec![Document::new("storm.txt", page)];
    let t = &build_timelines(&docs, &TimelineOptions::default())[0];
    let times: Vec<Option<&str>> = t.posts.iter().map(|p| p.published.as_deref()).collect();
    assert_eq!(
        times,
        [
            Some("2018-11-26T14:09"),
            Some("2018-11-26T13:40"),
            Some("2018-11-25T21:56")
        ]
    );
}

/// A crawl that prints a post twice, once as an earlier crawl showed it
/// and once under another headline, shows one post: the stamp and the
/// words are the same, so the second copy is a copy, not a second post.
#[test]
fn a_post_printed_twice_in_one_crawl_is_one_post_whatever_its_headline() {
    let body = "It was the last session before Christmas, and an element of end-of-term cheer \
        was understandable as both leaders traded jokes about the festive season and the year.\n\
        Then, after a question about the inquiry, the prime minister took a question from a \
        backbencher who seemed to want to talk about housing and rents in the capital.\n\
        Ellie Vidal11 July 2019 08:11\n";
    let older_post = "Storm warning for the coast\n\
        Forecasters issued an amber warning for wind along the whole coast this morning.\n\
        Chloe Reid11 July 2019 07:40\n";
    let first = format!(" date 2019-07-11 Politics live\nPMQs – snap verdict\n{body}{older_post}");
    let second = format!(
        " date 2019-07-11 Politics live\nPMQs – what we learned\n{body}{older_post}\
         PMQs – snap verdict\n{body}"
    );
    let docs = vec![
        Document::new("politics-1.txt", &first),
        Document::new("politics-2.txt", &second),
    ];
    let t = &build_timelines(&docs, &TimelineOptions::default())[0];
    assert_every_line_accounted_for(&docs, t);
    let copies = t
        .posts
        .iter()
        .filter(|p| p.body.iter().any(|l| l.contains("end-of-term cheer")))
        .count();
    assert_eq!(copies, 1, "{:?}", post_lines(t));
}

/// An edit appends a paragraph below an ad slot that stands in the post
/// from then on: the paragraph is the post's own (its newer version), not
/// the blurb of a card that one crawl printed in the gap.
#[test]
fn a_paragraph_added_under_an_ad_label_is_an_edit_not_a_card() {
    let added = "All schools in the valley closed at noon, the council said.\n\
                 Sponsored\nBuses will take pupils home from the market square this afternoon.";
    let edited = FLOOD_2.replace(
        "All schools in the valley closed at noon, the council said.",
        added,
    );
    let newest = edited.replace(
        "12.20pm GMT\n",
        "12.45pm GMT\nBridge shut to traffic\nThe old bridge was closed as water reached its arches.\n\
         12.20pm GMT\n",
    );
    let docs = vec![
        Document::new("flood-1.txt", FLOOD_1),
        Document::new("flood-2.txt", &edited),
        Document::new("flood-3.txt", &newest),
    ];
    let t = &build_timelines(&docs, &TimelineOptions::default())[0];
    assert_every_line_accounted_for(&docs, t);
    let schools = post_containing(t, "closed at noon");
    assert!(
        schools
            .body
            .iter()
            .any(|l| l.starts_with("Buses will take")),
        "{:?}",
        schools.body
    );
    assert_eq!(schools.versions.len(), 2);
    assert!(removal_reasons(
        t,
        "Buses will take pupils home from the market square this afternoon."
    )
    .is_empty());
}

#[test]
fn a_rewritten_headline_is_a_new_version_not_furniture() {
    let retitled = FLOOD_2.replace("Schools close early", "Every valley school shuts at noon");
    let docs = vec![
        Document::new("flood-1.txt", FLOOD_1),
        Document::new("flood-2.txt", &retitled),
    ];
    let t = &build_timelines(&docs, &TimelineOptions::default())[0];
    let schools = post_containing(t, "closed at noon");
    assert_eq!(&*schools.headline, "Every valley school shuts at noon");
    let headlines: Vec<&str> = schools.versions.iter().map(|v| &*v.headline).collect();
    assert_eq!(
        headlines,
        ["Schools close early", "Every valley school shuts at noon"]
    );
}

#[test]
fn many_near_identical_posts_under_few_headlines_never_panic() {
    // Stamped posts that differ by one word under six repeating headlines:
    // copies of copies once pointed at posts that were themselves dropped.
    let mut page = String::from(" date 2024-05-10 Near-identical posts\n");
    let words = [
        "storm", "river", "bridge", "council", "homes", "police", "rail",
    ];
    for m in 1..=300 {
        let word = words[(m * 7 + m / 3) % words.len()];
        page.push_str(&format!(
            "{:02}:{:02} GMT\nUpdate {}\nTown teams water minister rail police water flood vote court {word}.\n",
            (m / 60) % 24,
            m % 60,
            m % 7
        ));
    }
    let docs = vec![Document::new("page.txt", page)];
    let timelines = build_timelines(&docs, &TimelineOptions::default());
    assert_eq!(timelines.len(), 1);
    assert_every_line_accounted_for(&docs, &timelines[0]);
}

// A page whose bylines stand after their posts, none with a headline; key
// points on top; a caption without closing punctuation inside one post;
// each crawl a new post on top.
const STORM_KEY_POINTS: &str = "Key points
The two main bridges are closed until further notice.
Trains north of the city are cancelled.
";
const STORM_OLDER_POSTS: &str = "Winds reached 90mph on the coast overnight, the forecaster said, the highest this winter so far.
Ana Reyes, 9.40am GMT
Hundreds of trees came down across the county overnight, blocking roads in every district.
Fallen tree on the ring road near the stadium
Crews worked through the night to clear the main routes, the council said.
Ana Reyes, 9.05am GMT
The ring road was shut in both directions while crews removed a tree that fell across it shortly after eight.
Ben Hall, 8.30am GMT
Return to top
";
const STORM_NEW_2: &str = "Gusts of 100mph are now forecast for the afternoon, and the bridges will stay shut until the evening at least.
Ana Reyes, 10.15am GMT
";
const STORM_NEW_3: &str = "The ferry operator has cancelled all crossings for the rest of the day because of the high seas.
Ben Hall, 10.50am GMT
";

#[test]
fn after_bylines_the_newest_post_is_told_from_the_summary_by_the_crawls() {
    let head = " date 2024-05-10 Storm live: gales close bridges\n";
    let crawl = |new: &[&str]| {
        format!(
            "{head}{STORM_KEY_POINTS}{}{STORM_OLDER_POSTS}",
            new.concat()
        )
    };
    let docs = vec![
        Document::new("storm-1.txt", crawl(&[])),
        Document::new("storm-2.txt", crawl(&[STORM_NEW_2])),
        Document::new("storm-3.txt", crawl(&[STORM_NEW_3, STORM_NEW_2])),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    // Each post with its own time, the newest crawl's newest post included.
    let posts: Vec<(Option<&str>, &str)> = t
        .posts
        .iter()
        .map(|p| (p.published.as_deref(), &*p.body[0]))
        .collect();
    let starts = [
        ("2024-05-10T10:50+00:00", "The ferry operator"),
        ("2024-05-10T10:15+00:00", "Gusts of 100mph"),
        ("2024-05-10T09:40+00:00", "Winds reached 90mph"),
        ("2024-05-10T09:05+00:00", "Hundreds of trees"),
        ("2024-05-10T08:30+00:00", "The ring road was shut"),
    ];
    assert_eq!(posts.len(), starts.len(), "{posts:?}");
    for ((time, first), (want_time, want_start)) in posts.iter().zip(starts) {
        assert_eq!(*time, Some(want_time), "{first}");
        assert!(first.starts_with(want_start), "{first} ≠ {want_start}");
    }
    // The caption stays in its post; the key points are the summary.
    assert!(t.posts[3].body.iter().any(|l| l.starts_with("Fallen tree")));
    let summary: Vec<&str> = t.summary.iter().map(|s| &**s).collect();
    assert_eq!(
        summary,
        [
            "The two main bridges are closed until further notice.",
            "Trains north of the city are cancelled."
        ]
    );
}

/// A short post rewritten whole between crawls is one post with two
/// versions when its author and time stay; two posts one author stamps
/// alike on the same page stay two.
#[test]
fn an_authors_post_at_one_minute_is_one_post_however_it_is_rewritten() {
    let page = |rewritten: &str| {
        format!(
            " date 2024-05-10 Storm live: gales close bridges
10.15am GMT
By Ana Reyes
{rewritten}
10.15am GMT
By Ana Reyes
The harbour master has closed the port to all shipping until the wind drops below gale force.
9.40am GMT
By Ben Hall
Winds reached 90mph on the coast overnight, the forecaster said, the highest this winter so far.
"
        )
    };
    let docs = vec![
        Document::new(
            "storm-1.txt",
            page("Police say the coast road is shut at Eastbay after a landslip."),
        ),
        Document::new(
            "storm-2.txt",
            page("Engineers expect the landslip on the coast road to keep it closed all week, the council said."),
        ),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    assert_eq!(t.posts.len(), 3, "{:?}", t.posts);
    let rewritten = t
        .posts
        .iter()
        .find(|p| p.body[0].starts_with("Engineers expect"))
        .expect("the newest version heads the post");
    assert_eq!(rewritten.versions.len(), 2);
    assert!(t
        .posts
        .iter()
        .any(|p| p.body[0].starts_with("The harbour master")));
}

/// A prompt printed after every post of a page whose bylines follow their
/// posts reads, at first, as the next post's headline; heading two posts
/// of one crawl, it is furniture, and each post keeps its own text and
/// time.
#[test]
fn a_line_heading_two_posts_of_one_crawl_is_furniture() {
    let post = |text: &str, stamp: &str| format!("{text}\n{stamp}\nPin it for later\n");
    let older = [
        post(STORM_NEW_2.lines().next().unwrap(), "Ana Reyes, 10.15am GMT"),
        post(
            "Winds reached 90mph on the coast overnight, the forecaster said, the highest this winter so far.",
            "Ana Reyes, 9.40am GMT",
        ),
        post(
            "Hundreds of trees came down across the county overnight, blocking roads in every district.",
            "Ana Reyes, 9.05am GMT",
        ),
    ]
    .concat();
    let head = " date 2024-05-10 Storm live: gales close bridges\n";
    let newest = post(STORM_NEW_3.lines().next().unwrap(), "Ben Hall, 10.50am GMT");
    let docs = vec![
        Document::new("storm-1.txt", format!("{head}{older}")),
        Document::new("storm-2.txt", format!("{head}{newest}{older}")),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let posts: Vec<(Option<&str>, &str, &str)> = t
        .posts
        .iter()
        .map(|p| (p.published.as_deref(), &*p.headline, &p.body[0][..12]))
        .collect();
    assert_eq!(
        posts,
        [
            (Some("2024-05-10T10:50+00:00"), "", "The ferry op"),
            (Some("2024-05-10T10:15+00:00"), "", "Gusts of 100"),
            (Some("2024-05-10T09:40+00:00"), "", "Winds reache"),
            (Some("2024-05-10T09:05+00:00"), "", "Hundreds of "),
        ]
    );
    assert!(!post_lines(&t).iter().any(|l| l == "Pin it for later"));
}

#[test]
fn a_page_that_ends_on_an_unpunctuated_paragraph_keeps_its_times_above_posts() {
    // Time, then author, then text, under a summary: both readings give
    // every post a stamp. The oldest post is one paragraph cut off without
    // its full stop, which looks like a headline; it is still a post's
    // worth of text after the last stamp, so the page does not end on a
    // stamp, and one crawl is enough to read it.
    let page = " date 2024-05-10 Storm live
Gales closed bridges and rail lines across the county.
10.50am GMT
Ben Hall
The ferry operator cancelled all afternoon sailings.
10.15am GMT
Ben Hall
Gusts of 100mph were recorded on the bridge, which closed at 10am.
9.40am GMT
Ana Reyes
Winds reached 90mph on the coast overnight, the highest this winter.
9.05am GMT
Ana Reyes
The council has opened three rest centres for families who had to leave their homes along the river overnight and more are expected to open later
Most read
Top stories
";
    let docs = vec![Document::new("storm.txt", page)];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let posts: Vec<(Option<&str>, String)> = t
        .posts
        .iter()
        .map(|p| {
            let first = if p.headline.is_empty() {
                &p.body[0]
            } else {
                &p.headline
            };
            (p.published.as_deref(), first.chars().take(12).collect())
        })
        .collect();
    assert_eq!(
        posts,
        [
            (Some("2024-05-10T10:50+00:00"), "The ferry op".to_string()),
            (Some("2024-05-10T10:15+00:00"), "Gusts of 100".to_string()),
            (Some("2024-05-10T09:40+00:00"), "Winds reache".to_string()),
            (Some("2024-05-10T09:05+00:00"), "The council ".to_string()),
        ]
    );
}

#[test]
fn a_card_after_a_post_edited_in_most_paragraphs_is_furniture() {
    // The bridge post gains a sentence in one paragraph and a word in
    // another between crawls; the first crawl prints a teaser card (a
    // label and two headlines) after it. Few of its paragraphs are
    // unchanged, but most of its words are: one post, and the card is not
    // part of it. A lead-in the edit added ("In short:") is kept.
    let bridge_1 = "Gusts of 100mph were recorded on the bridge this morning.\nPolice closed both carriageways at 10am.\nDrivers were told to use the inland route.\n";
    let bridge_2 = "Gusts of 100mph were recorded on the bridge this morning. The operator said it would stay shut until the evening.\nPolice closed both carriageways at 10am sharp.\nIn short:\nDrivers were told to use the inland route.\n";
    let card = "Analysis\nWhy the estuary keeps flooding every winter\nThe towns that lost their rail link last year\n";
    let crawl = |bridge: &str, card: &str| {
        format!(
            " date 2024-05-10 Storm live\n10.15am GMT\nBen Hall\nBridge closed\n{bridge}{card}9.40am GMT\nAna Reyes\nCoast records highest winds\nWinds reached 90mph on the coast overnight, the highest this winter.\n9.05am GMT\nBen Hall\nTrees down across the county\nHundreds of trees came down overnight, blocking roads in every district.\n"
        )
    };
    let docs = vec![
        Document::new("storm-1.txt", crawl(bridge_1, card)),
        Document::new("storm-2.txt", crawl(bridge_2, "")),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    for card_line in card.lines() {
        let reasons = removal_reasons(&t, card_line);
        assert_eq!(reasons, [Reason::Furniture], "{card_line}");
    }
    let bridge = &t.posts[0];
    assert_eq!(&*bridge.headline, "Bridge closed");
    assert_eq!(bridge.versions.len(), 2);
    assert!(bridge.body.iter().any(|l| &**l == "In short:"));
}

#[test]
fn a_card_after_a_short_post_whose_only_sentence_was_rewritten_is_furniture() {
    // The bridge post keeps its headline while its one sentence is
    // replaced; the first crawl prints a card after it.
    let card = "Most read:\nWhy the estuary keeps flooding every winter\nThe towns that lost their rail link last year\n";
    let crawl = |sentence: &str, card: &str| {
        format!(
            " date 2024-05-10 Storm live\n10.15am GMT\nBen Hall\nBridge closed\n{sentence}\n{card}9.40am GMT\nAna Reyes\nCoast records highest winds\nWinds reached 90mph on the coast overnight, the highest this winter.\n9.05am GMT\nBen Hall\nTrees down across the county\nHundreds of trees came down overnight, blocking roads in every district.\n"
        )
    };
    let docs = vec![
        Document::new(
            "storm-1.txt",
            crawl("Police closed both carriageways at 10am.", card),
        ),
        Document::new(
            "storm-2.txt",
            crawl(
                "The operator says the bridge will stay shut until the evening.",
                "",
            ),
        ),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    for card_line in card.lines() {
        let reasons = removal_reasons(&t, card_line);
        assert_eq!(reasons, [Reason::Furniture], "{card_line}");
    }
    assert_eq!(t.posts.len(), 3);
    assert_eq!(t.posts[0].versions.len(), 2);
}

#[test]
fn a_line_above_a_headless_post_that_the_other_crawl_prints_elsewhere_is_no_headline() {
    // Bylines after headline-less posts. Above the schools post, each
    // crawl prints a different card line, so each card reads as a
    // headline the other crawl lacks, like a rewritten headline. But each
    // crawl also prints the other's card, at its foot: a rewritten
    // headline leaves the page, a card does not.
    let (pictures, voices) = (
        "Pictures from the flooded valley",
        "Voices from the riverbank towns",
    );
    let crawl = |newest: &str, above_schools: &str, foot: &str| {
        format!(
            " date 2024-05-10 Flood live\n{newest}{above_schools}\nAll schools in the valley closed at noon, the council said.\nAna Reyes, 10.52am GMT\nPolice went door to door in the lower streets before dawn.\nBen Hall, 10.15am GMT\nThe council gave out 5,000 sandbags overnight.\nAna Reyes, 9.40am GMT\n{foot}\n"
        )
    };
    let docs = vec![
        Document::new("flood-1.txt", crawl("", pictures, voices)),
        Document::new(
            "flood-2.txt",
            crawl(
                "The river reached 4.1 metres at noon, just short of the record.\nBen Hall, 11.30am GMT\n",
                voices,
                pictures,
            ),
        ),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let schools = post_containing(&t, "All schools");
    assert_eq!(&*schools.headline, "");
    assert_eq!(schools.versions.len(), 1);
    assert!(!post_lines(&t).iter().any(|l| l == pictures || l == voices));
}

#[test]
fn a_paragraph_that_gained_a_sentence_under_a_label_is_kept() {
    // A headless post's one paragraph gains a sentence between crawls,
    // and the later crawl prints a one-word label above it. The longer
    // paragraph shares under half its words with the shorter one, but
    // holds all of them: an edit of the paragraph, not a card's blurb.
    let short = "Costa's office said the power cut had damaged the roof of the main shelter.";
    let long = "Costa's office said the power cut had damaged the roof of the main shelter. Asked about the landfall, Doyle said: “I have never seen a storm surge like it.”";
    let crawl = |label: &str, paragraph: &str| {
        format!(
            " date 2024-10-20 Hurricane live\n5.38pm BST\nOscar Doherty\n{label}{paragraph}\n5.31pm BST\nIan Adeyemi\nAirport closed to all flights\nOfficials at the airport said no flights would leave before Tuesday morning.\n5.21pm BST\nIan Quinn\nShelters open across the county\nSeven schools have opened as shelters for families from the low-lying streets.\n"
        )
    };
    let docs = vec![
        Document::new("storm-1.txt", crawl("", short)),
        Document::new("storm-2.txt", crawl("Permalink\n", long)),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    assert!(removal_reasons(&t, long).is_empty(), "{:#?}", t.removed);
    let post = &t.posts[0];
    assert_eq!(post.published.as_deref(), Some("2024-10-20T17:38+01:00"));
    assert!(post.body.iter().any(|l| &**l == long));
    assert_eq!(post.versions.len(), 2);
}

#[test]
fn a_headline_rewritten_under_a_share_row_is_a_new_version() {
    // Every post opens with its time, its author and a share row, so the
    // first reading takes the share row for each headline and the real
    // headline for a first paragraph. The crawls show the share row
    // heading many posts (furniture); the bridge post's headline, rewritten
    // between crawls, is then its headline in each, not a card one crawl
    // printed beside it.
    let crawl = |headline: &str| {
        format!(
            " date 2019-06-11 Storm live\n12.37 BST\nIan Santos\nShare link\n{headline}\nPolice closed both carriageways of the bridge at ten this morning.\nDrivers were told to use the inland route until further notice.\n12.30 BST\nLeila Holt\nShare link\nCoast records highest winds\nWinds reached ninety miles an hour on the coast overnight, the highest this winter.\n12.00 BST\nIan Santos\nShare link\nTrees down across the county\nHundreds of trees came down overnight, blocking roads in every district.\n"
        )
    };
    let docs = vec![
        Document::new("storm-1.txt", crawl("Bridge closed as gusts reach 100mph")),
        Document::new(
            "storm-2.txt",
            crawl("Bridge to stay shut until the evening, operator says"),
        ),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let bridge = &t.posts[0];
    assert_eq!(
        &*bridge.headline,
        "Bridge to stay shut until the evening, operator says"
    );
    assert_eq!(bridge.versions.len(), 2);
    assert_eq!(
        &*bridge.versions[0].headline,
        "Bridge closed as gusts reach 100mph"
    );
}

/// Three crawls of a page whose bylines stand after their posts; `extra`
/// inserts lines above the third post's text and `headline` gives its
/// headline in that crawl.
fn crawl_with_bylines_after(extra: &[&str], headline: Option<&str>) -> String {
    let posts = [
        (
            "The river reached 4.1 metres at noon, just short of the 1998 record.",
            "Ana Ruiz, 12.20pm GMT",
        ),
        (
            "Soldiers arrived in the town centre to fill sandbags along the river wall.",
            "Ben Cole, 11.40am GMT",
        ),
        (
            "All schools in the valley closed at noon, the council said.",
            "Ana Ruiz, 10.52am GMT",
        ),
        (
            "Police went door to door in the lower streets before dawn.",
            "Ben Cole, 10.15am GMT",
        ),
    ];
    let mut page = String::from(" date 2024-05-10 Flood live: river bursts its banks\nRain is expected to ease by the evening, forecasters said.\n");
    for (i, (text, byline)) in posts.into_iter().enumerate() {
        if i == 2 {
            for line in extra.iter().chain(&headline) {
                page.push_str(line);
                page.push('\n');
            }
        }
        page.push_str(&format!("{text}\n{byline}\n"));
    }
    page
}

#[test]
fn labels_above_a_post_in_two_crawls_are_cards_not_a_rewritten_headline() {
    // The post has no headline; one crawl prints one label above it and a
    // later crawl another. Each is missing from the other crawls of the
    // post, so both are furniture, though each crawl shows a different
    // line where a headline would stand.
    let docs = vec![
        Document::new("a.txt", crawl_with_bylines_after(&[], None)),
        Document::new("b.txt", crawl_with_bylines_after(&["Read next"], None)),
        Document::new(
            "c.txt",
            crawl_with_bylines_after(&["Partner content"], None),
        ),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let schools = post_containing(&t, "closed at noon");
    assert_eq!(&*schools.headline, "");
    assert_eq!(schools.versions.len(), 1, "{:#?}", schools.versions);
    for label in ["Read next", "Partner content"] {
        assert_eq!(removal_reasons(&t, label), [Reason::Furniture], "{label}");
    }
}

#[test]
fn a_label_above_a_headline_rewritten_later_is_furniture() {
    // One crawl prints a label above the post's headline; the next rewrites
    // the headline. The label is no headline of the post (another crawl
    // shows the line below it heading the post), and the rewrite stays a
    // version.
    let docs = vec![
        Document::new(
            "a.txt",
            crawl_with_bylines_after(&[], Some("Schools close early")),
        ),
        Document::new(
            "b.txt",
            crawl_with_bylines_after(&["Join the debate"], Some("Schools close early")),
        ),
        Document::new(
            "c.txt",
            crawl_with_bylines_after(&[], Some("Every valley school shuts at noon")),
        ),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let headlines: Vec<&str> = post_containing(&t, "closed at noon")
        .versions
        .iter()
        .map(|v| &*v.headline)
        .collect();
    assert_eq!(
        headlines,
        ["Schools close early", "Every valley school shuts at noon"]
    );
    assert_eq!(removal_reasons(&t, "Join the debate"), [Reason::Furniture]);
}

#[test]
fn a_widget_printed_at_the_top_and_again_inside_a_post_is_furniture() {
    // An appeal in words no rule of wording knows stands at the top of both
    // crawls; the newer crawl prints it again under its new post, which no
    // other crawl shows. Printed outside the posts and inside one, as a run
    // of lines addressing the reader, it is the page's, not the post's.
    let appeal = "The Courier needs readers\nReaders like you keep this page free to read, and we are grateful.\nGive once or monthly\n";
    let crawl = |new_post: &str| {
        format!(
            " date 2024-05-10 Flood live: river bursts its banks\n{appeal}Rain is expected to ease by the evening, forecasters said.\n{new_post}11.40am GMT\nArmy called in to build barriers\nSoldiers arrived in the town centre to fill sandbags along the river wall.\n10.52am GMT\nAll schools in the valley closed at noon, the council said.\n10.15am GMT\nResidents told to leave riverside homes\nPolice went door to door in the lower streets before dawn.\n"
        )
    };
    let new_post = format!(
        "12.20pm GMT\nThe river reached 4.1 metres at noon, just short of the 1998 record.\n{appeal}"
    );
    let docs = vec![
        Document::new("a.txt", crawl("")),
        Document::new("b.txt", crawl(&new_post)),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let river = post_containing(&t, "4.1 metres");
    assert_eq!(river.body.len(), 1, "{:#?}", river.body);
    assert!(t
        .posts
        .iter()
        .all(|p| p.body.iter().all(|l| !l.contains("Readers like you"))));
}

#[test]
fn a_widget_at_the_top_of_one_crawl_is_furniture_inside_a_post_of_another() {
    // The older crawl prints an appeal under a post that has left the page
    // by the newer crawl, which prints the appeal at its top instead. No
    // other crawl shows the post without the appeal, and no crawl shows
    // the appeal twice; only the two crawls together tell it is the
    // page's. (Nor does the appeal in the lead, printed inside a post of
    // the other crawl, argue that the bylines stand after their posts.)
    let appeal = "The Courier needs readers\nReaders like you keep this page free to read, and we are grateful for every gift.\nOur reporters have covered the valley for forty years.\nDonate to the Courier\n";
    let older = format!(
        " date 2024-05-10 Flood live: river bursts its banks\nRain is expected to ease by the evening, forecasters said.\n11.40am GMT\nArmy called in to build barriers\nSoldiers arrived in the town centre to fill sandbags along the river wall.\n10.52am GMT\nSchools close early\nAll schools in the valley closed at noon, the council said.\n{appeal}10.15am GMT\nResidents told to leave riverside homes\nPolice went door to door in the lower streets before dawn.\n"
    );
    let newer = format!(
        " date 2024-05-10 Flood live: river bursts its banks\n{appeal}Rain is expected to ease by the evening, forecasters said.\n12.20pm GMT\nRiver peaks below the record\nThe river reached 4.1 metres at noon, just short of the 1998 record.\n11.40am GMT\nArmy called in to build barriers\nSoldiers arrived in the town centre to fill sandbags along the river wall.\n"
    );
    let docs = vec![Document::new("a.txt", older), Document::new("b.txt", newer)];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let schools = post_containing(&t, "closed at noon");
    assert_eq!(schools.body.len(), 1, "{:#?}", schools.body);
    assert!(t.posts.iter().all(|p| !p.headline.contains("Courier")
        && p.body.iter().all(|l| !l.contains("Readers like you"))));
    let published = |text: &str| {
        post_containing(&t, text)
            .published
            .clone()
            .unwrap_or_default()
    };
    assert!(published("closed at noon").contains("10:52"), "{t:#?}");
    assert!(published("door to door").contains("10:15"), "{t:#?}");
    assert!(published("4.1 metres").contains("12:20"), "{t:#?}");
}

#[test]
fn two_prompts_over_one_post_in_two_crawls_are_no_rewritten_headline() {
    // Each crawl prints its own prompt above the schools post, which has
    // no headline. The newer crawl's prompt stands elsewhere in the older
    // crawl too, so it is no headline there; the older crawl's prompt is
    // then no headline rewritten into it either, and the post has one
    // version.
    let older = " date 2024-05-10 Flood live: river bursts its banks\nRain is expected to ease by the evening, forecasters said.\n11.40am GMT\nArmy called in to build barriers\nSoldiers arrived in the town centre to fill sandbags along the river wall.\n10.52am GMT\nPictures from the valley, in your inbox each morning\nAll schools in the valley closed at noon, the council said.\n10.15am GMT\nResidents told to leave riverside homes\nPolice went door to door in the lower streets before dawn.\nTell a friend about our flood coverage\n";
    let newer = " date 2024-05-10 Flood live: river bursts its banks\nRain is expected to ease by the evening, forecasters said.\n12.20pm GMT\nRiver peaks below the record\nThe river reached 4.1 metres at noon, just short of the 1998 record.\n11.40am GMT\nArmy called in to build barriers\nSoldiers arrived in the town centre to fill sandbags along the river wall.\n10.52am GMT\nTell a friend about our flood coverage\nAll schools in the valley closed at noon, the council said.\n10.15am GMT\nResidents told to leave riverside homes\nPolice went door to door in the lower streets before dawn.\n";
    let docs = vec![Document::new("a.txt", older), Document::new("b.txt", newer)];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let schools = post_containing(&t, "closed at noon");
    assert_eq!(schools.versions.len(), 1, "{:#?}", schools.versions);
    assert_eq!(&*schools.headline, "");
    assert_eq!(
        removal_reasons(&t, "Pictures from the valley, in your inbox each morning"),
        [Reason::Furniture]
    );
}

#[test]
fn a_label_at_the_top_of_one_crawl_is_furniture_at_the_foot_of_another() {
    // The older crawl runs a sort control at its foot into its last post,
    // which the newer crawl no longer shows; the newer crawl prints the
    // control on its own at the top. A few words without closing
    // punctuation that a crawl prints outside every post are the page's.
    let older = " date 2024-05-10 Flood live: river bursts its banks\nRain is expected to ease by the evening, forecasters said.\n11.40am GMT\nArmy called in to build barriers\nSoldiers arrived in the town centre to fill sandbags along the river wall.\n10.52am GMT\nSchools close early\nAll schools in the valley closed at noon, the council said.\n10.15am GMT\nResidents told to leave riverside homes\nPolice went door to door in the lower streets before dawn.\nOldest first\n";
    let newer = " date 2024-05-10 Flood live: river bursts its banks\nOldest first\nRain is expected to ease by the evening, forecasters said.\n12.20pm GMT\nRiver peaks below the record\nThe river reached 4.1 metres at noon, just short of the 1998 record.\n11.40am GMT\nArmy called in to build barriers\nSoldiers arrived in the town centre to fill sandbags along the river wall.\n10.52am GMT\nSchools close early\nAll schools in the valley closed at noon, the council said.\n";
    let docs = vec![Document::new("a.txt", older), Document::new("b.txt", newer)];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let residents = post_containing(&t, "door to door");
    assert_eq!(residents.body.len(), 1, "{:#?}", residents.body);
    assert_eq!(
        removal_reasons(&t, "Oldest first"),
        [Reason::Furniture, Reason::Furniture]
    );
}

#[test]
fn a_timed_key_event_over_the_newest_post_does_not_give_it_its_time() {
    // Key events list a time and a headline each; the last, a one-word
    // "Summary" read as a label, stands right above the newest post's own
    // byline. The post's time is the byline's next to its text (1.10pm),
    // not the key event's (9.05am), which had also put every post below a
    // day early (the clock going up from 9.05am to 12.20pm read as
    // midnight passing).
    let posts = [
        ("1.10pm GMT", "Ana Ruiz", "", "Trains between the two cities were cancelled for the rest of the day.\nThe operator said buses would replace them.\n"),
        ("12.20pm GMT", "Ana Ruiz", "River peaks below the record\n", "The river reached 4.1 metres at noon, just short of the 1998 record.\n"),
        ("11.40am GMT", "Ben Cole", "Army called in to build barriers\n", "Soldiers arrived in the town centre to fill sandbags along the river wall.\n"),
        ("10.15am GMT", "Ben Cole", "", "Schools in the valley will stay shut on Monday, the council said.\n"),
        ("9.05am GMT", "Ben Cole", "Summary\n", "Police went door to door in the lower streets before dawn, asking residents of the riverside terraces to leave their homes.\nTwo hundred homes were empty by nine, and the rest will be checked again at noon.\n"),
    ];
    let mut page = String::from(" date 2024-05-10 Flood live: river bursts its banks\nRain is expected to ease by the evening, forecasters said.\nKey events\n12.20pm GMT\nRiver peaks below the record\n9.05am GMT\nSummary\n");
    for (time, author, headline, text) in posts {
        page.push_str(&format!("{time}\n{author}\nCopy link\n{headline}{text}"));
    }
    let docs = vec![Document::new("a.txt", page)];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let published = |text: &str| {
        post_containing(&t, text)
            .published
            .clone()
            .unwrap_or_default()
    };
    assert_eq!(published("buses would replace"), "2024-05-10T13:10+00:00");
    assert_eq!(published("4.1 metres"), "2024-05-10T12:20+00:00");
    assert_eq!(published("door to door"), "2024-05-10T09:05+00:00");
}

#[test]
fn a_post_printed_twice_that_speaks_to_the_reader_is_no_widget() {
    // The newest post is printed twice, with its byline after it each
    // time; one of its lines addresses the reader. The first copy, above
    // the first byline, may be read as the summary and a fragment, but the
    // copies go on to the same byline: a post printed twice, not a widget,
    // so the post keeps its lines.
    let post = "River peaks below the record\nThe river reached 4.1 metres at noon, just short of the 1998 record.\nWe will bring you updates as we get them.\nA reader, Tom in Leeds, got in touch\nnever seen the high street like this\nAna Ruiz\n10 May 2024, 12:20 BST\n";
    let page = format!(
        " date 2024-05-10 Flood live: river bursts its banks\nRain is expected to ease by the evening, forecasters said.\n{post}{post}Army called in to build barriers\nSoldiers arrived in the town centre to fill sandbags along the river wall.\nBen Cole\n10 May 2024, 11:40 BST\nSchools close early\nAll schools in the valley closed at noon, the council said.\nAna Ruiz\n10 May 2024, 10:52 BST\n"
    );
    let docs = vec![Document::new("a.txt", page)];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let river = post_containing(&t, "4.1 metres");
    assert!(river.body.iter().any(|l| l.contains("bring you updates")));
}

#[test]
fn a_one_word_label_in_the_lead_and_at_the_foot_leaves_bylines_before_their_posts() {
    // Time, author and a share line above each post; the page ends on a
    // teaser card under a "Live" label that also stands at the top. Read
    // with the bylines after the posts, each post took its neighbour's
    // time; the label printed both in the lead and in the last post had
    // counted against the right reading as if it were a summary paragraph.
    let posts = [
        ("1.16pm BST", "", "The river reached 4.1 metres at noon, just short of the 1998 record.\n"),
        ("1.12pm BST", "", "Soldiers arrived in the town centre to fill sandbags along the river wall.\nThey worked through the night.\n"),
        ("1.06pm BST", "Schools close early\n", "All schools in the valley closed at noon, the council said.\n"),
        ("12.39pm BST", "Afternoon summary\n", "Police went door to door in the lower streets before dawn.\nTwo hundred homes were empty by nine.\n"),
        ("12.35pm BST", "", "Trains between the two cities were cancelled for the rest of the day.\n"),
        ("12.20pm BST", "", "The coast road was closed after waves broke over the sea wall.\n"),
    ];
    let crawl = |first: usize| {
        let mut page = String::from(" date 2024-05-10 Flood live: river bursts its banks\nLive\nNewest first\nRain is expected to ease by the evening, forecasters said.\nLink copied to clipboard\nKey points\nThe river is close to its record.\nSchools are shut\n");
        for (time, headline, text) in &posts[first..] {
            page.push_str(&format!(
                "{time}\nHugo Adeyemi\nLink copied to clipboard\n{headline}{text}"
            ));
        }
        page + "Live\nMarkets fall as storm hits ports\nShares in shipping firms fell sharply.\nRead more\n"
    };
    let docs: Vec<Document> = [2, 1, 0]
        .into_iter()
        .enumerate()
        .map(|(k, first)| Document::new(format!("crawl-{k}.txt"), crawl(first)))
        .collect();
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let times: Vec<&str> = t
        .posts
        .iter()
        .map(|p| p.published.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(
        times,
        [
            "2024-05-10T13:16+01:00",
            "2024-05-10T13:12+01:00",
            "2024-05-10T13:06+01:00",
            "2024-05-10T12:39+01:00",
            "2024-05-10T12:35+01:00",
            "2024-05-10T12:20+01:00",
        ]
    );
    assert_eq!(
        &*post_containing(&t, "door to door").headline,
        "Afternoon summary"
    );
}

/// Three crawls of a storm live blog under the same key points, each with
/// one more post on top (`newest` in page order, newest first) above the
/// same `older` posts; their timeline, every line accounted for.
fn storm_crawls(newest: [&str; 3], older: &str) -> Timeline {
    let summary =
        "Key points\nThe bridge is closed in both directions.\nFerries are running every hour.\n";
    let crawl = |posts: &[&str]| {
        Document::new(
            format!("storm-{}.txt", posts.len()),
            format!(
                " date 2024-05-10 Storm live: gales close bridges\n{summary}{}{older}",
                posts.concat()
            ),
        )
    };
    let docs = vec![crawl(&newest[2..]), crawl(&newest[1..]), crawl(&newest)];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    t
}

/// On a page whose bylines stand after their posts, the newest post of a
/// crawl meets the summary with nothing between; an embedded tweet in it
/// (no closing punctuation) reads there like the post's start. The other
/// crawls, which show the post whole below newer ones, put it back
/// together: its headline is no card and its tweet no headline.
#[test]
fn a_tweet_in_the_newest_post_does_not_cut_it_short() {
    let storm = "Gales close the harbour bridge\n\
        Police closed the bridge at dawn after a lorry overturned in the wind.\n\
        Huge waves breaking over the harbour wall this morning pic.twitter.com/abc123\n\
        Engineers will inspect the bridge once the wind drops.\n\
        Hugo Adeyemi 10 May 2024 09:40\n";
    let ferry = "Ferries cancelled until the afternoon\n\
        The ferry operator said no crossings would run before 2pm.\n\
        Hugo Adeyemi 10 May 2024 10:15\n";
    let trains = "Trains stop north of the city\n\
        Network Rail said a tree had fallen on the line near the coast.\n\
        Ana Ruiz 10 May 2024 10:50\n";
    let older = "Rail services suspended on the coast line\n\
        Trains between the two towns will not run before noon.\n\
        Ana Ruiz 10 May 2024 09:05\n\
        Storm warning issued overnight\n\
        Forecasters upgraded the warning to amber before midnight.\n\
        Ana Ruiz 10 May 2024 08:30\n";
    let t = storm_crawls([trains, ferry, storm], older);
    let post = post_containing(&t, "Police closed the bridge");
    assert_eq!(&*post.headline, "Gales close the harbour bridge");
    assert_eq!(post.published.as_deref(), Some("2024-05-10T09:40"));
    assert_eq!(post.body.len(), 3, "{:?}", post.body);
    assert_eq!(post.versions.len(), 1);
    assert!(removal_reasons(&t, "Gales close the harbour bridge").is_empty());
    assert_eq!(t.posts.len(), 5, "{:?}", post_lines(&t));
}

/// The same on a page whose posts have no headlines: where one crawl
/// shows the newest post cut short at its tweet, the crawls that show it
/// whole give it back its opening paragraphs, in one version.
#[test]
fn a_headless_newest_post_cut_at_its_tweet_is_one_post() {
    let bridge = "Police closed the bridge at dawn after a lorry overturned in the wind.\n\
        Engineers will inspect the bridge once the wind drops.\n\
        Huge waves breaking over the harbour wall this morning pic.twitter.com/abc123\n\
        — Ana Ruiz (@anaruiz) May 10, 2024\n\
        Hugo Adeyemi · 9.40am BST\n";
    let ferry = "The ferry operator said no crossings would run before 2pm.\n\
        Hugo Adeyemi · 10.15am BST\n";
    let trains = "Network Rail said a tree had fallen on the line near the coast.\n\
        Ana Ruiz · 10.50am BST\n";
    let older = "Trains between the two towns will not run before noon.\n\
        Ana Ruiz · 9.05am BST\n\
        Forecasters upgraded the warning to amber before midnight.\n\
        Ana Ruiz · 8.30am BST\n";
    let t = storm_crawls([trains, ferry, bridge], older);
    let post = post_containing(&t, "Huge waves");
    assert_eq!(post.published.as_deref(), Some("2024-05-10T09:40+01:00"));
    assert!(post.body[0].starts_with("Police closed"), "{:?}", post.body);
    assert_eq!(post.body.len(), 4, "{:?}", post.body);
    assert_eq!(post.versions.len(), 1, "{:?}", post.versions.len());
    assert!(t.summary.iter().all(|line| !line.contains("Police")));
    assert_eq!(t.posts.len(), 5, "{:?}", post_lines(&t));
}

// Posts of the storm page whose bylines stand after them (newest first).
const TRAINS: &str = "Trains stop north of the city\n\
    Network Rail said a tree had fallen on the line near the coast.\n\
    Ana Ruiz 10 May 2024 10:50\n";
const FERRY: &str = "Ferries cancelled until the afternoon\n\
    The ferry operator said no crossings would run before 2pm.\n\
    Hugo Adeyemi 10 May 2024 10:15\n";
const WARNING: &str = "Storm warning issued overnight\n\
    Forecasters upgraded the warning to amber before midnight.\n\
    Ana Ruiz 10 May 2024 08:30\n";

/// A line no post holds, removed as furniture once.
fn assert_furniture_once(t: &Timeline, line: &str) {
    assert!(!post_lines(t).iter().any(|l| l == line), "{line}");
    assert_eq!(removal_reasons(t, line), [Reason::Furniture], "{line}");
}

/// Crawls of a storm page (oldest first), each the summary and then
/// `posts` as given, newest on top.
fn storm_pages(crawls: &[&[&str]]) -> Timeline {
    let docs: Vec<Document> = crawls
        .iter()
        .enumerate()
        .map(|(k, posts)| {
            Document::new(
                format!("storm-{k}.txt"),
                format!(
                    " date 2024-05-10 Storm live: gales close bridges\n\
                     Key points\nThe bridge is closed in both directions.\n\
                     Ferries are running every hour.\n{}",
                    posts.concat()
                ),
            )
        })
        .collect();
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    t
}

/// A teaser headline printed in one crawl between a post's byline (which
/// stands after it) and the next post's headline is no new headline for
/// that post: a post has one headline, and the crawls show it under the
/// other. Even when the post is a list of lines without closing
/// punctuation, which leaves little running text to recognise it by.
#[test]
fn a_card_stacked_above_a_known_headline_is_furniture() {
    let readers = |lead: &str| {
        format!(
            "What readers saw overnight\n{lead}\
             Roof tiles scattered across the market square\n\
             A fallen oak blocking Mill Lane\n\
             The pier lights out from midnight\n\
             Hugo Adeyemi 10 May 2024 09:40\n"
        )
    };
    let older = &format!(
        "Rail services suspended on the coast line\n\
         Trains between the two towns will not run before noon.\n\
         Ana Ruiz 10 May 2024 09:05\n{WARNING}"
    );
    let card = "Rail fares frozen for another year\n";
    let (before, after) = (readers(""), readers("Sent in by readers:\n"));
    let t = storm_pages(&[
        &[FERRY, &before, older],
        &[TRAINS, FERRY, &before, older],
        &[TRAINS, FERRY, card, &after, older],
    ]);
    let post = post_containing(&t, "Roof tiles");
    assert_eq!(&*post.headline, "What readers saw overnight");
    assert_eq!(post.published.as_deref(), Some("2024-05-10T09:40"));
    assert_furniture_once(&t, card.trim());
    assert_eq!(post.versions.len(), 2, "the paragraph added");
}

/// On a page whose posts have no headlines and whose bylines stand after
/// them, a teaser card (a headline and its blurb) printed in one crawl in
/// the gap above a post reads as the post's opening. The other crawls
/// begin the post below it, and print the blurb nowhere: card and blurb
/// are furniture, and the post keeps one version.
#[test]
fn a_card_with_its_blurb_above_a_headless_post_is_furniture() {
    let buses = "Buses replace trains on the coast line from noon.\n\
        Ana Ruiz · 11.20am BST\n";
    let trains = "Network Rail said a tree had fallen on the line near the coast.\n\
        Ana Ruiz · 10.50am BST\n";
    let ferry = "The ferry operator said no crossings would run before 2pm.\n\
        Passengers with tickets for the morning can travel free tomorrow.\n\
        Hugo Adeyemi · 10.15am BST\n";
    let older = "Trains between the two towns will not run before noon.\n\
        Ana Ruiz · 9.05am BST\n\
        Forecasters upgraded the warning to amber before midnight.\n\
        Ana Ruiz · 8.30am BST\n";
    let card = "Council tax rises approved across the region\n\
        Most councils will raise bills by the maximum allowed from April.\n";
    let t = storm_pages(&[
        &[ferry, older],
        &[trains, ferry, older],
        &[buses, trains, card, ferry, older],
    ]);
    let post = post_containing(&t, "The ferry operator");
    assert!(
        post.body[0].starts_with("The ferry operator"),
        "{:?}",
        post.body
    );
    assert_eq!(post.body.len(), 2, "{:?}", post.body);
    assert_eq!(post.versions.len(), 1);
    assert_eq!(post.published.as_deref(), Some("2024-05-10T10:15+01:00"));
    for line in card.lines() {
        assert_furniture_once(&t, line);
    }
    assert_eq!(t.posts.len(), 5, "{:?}", post_lines(&t));
}

/// Two crawls a few minutes apart show the same newest post, under bylines
/// that stand after their posts. The crawls agree on what stands above the
/// first byline, but that does not make the newest post part of the
/// summary: every crawl reads it as the same stamped post.
#[test]
fn the_same_newest_post_in_every_crawl_is_no_summary() {
    let t = storm_pages(&[&[TRAINS, FERRY, WARNING], &[TRAINS, FERRY, WARNING]]);
    let post = post_containing(&t, "Network Rail");
    assert_eq!(&*post.headline, "Trains stop north of the city");
    assert_eq!(post.published.as_deref(), Some("2024-05-10T10:50"));
    assert!(
        t.summary.iter().all(|l| !l.contains("Network Rail")),
        "{:?}",
        t.summary
    );
    assert!(
        t.summary.iter().any(|l| l.contains("bridge is closed")),
        "{:?}",
        t.summary
    );
    assert_eq!(t.posts.len(), 3, "{:?}", post_lines(&t));
}

/// A short post rewritten whole between two crawls, and shown in a third
/// under a teaser headline stacked above its own: the first and the last
/// crawl share no line, but each shares most with the one between, so the
/// three are one post and the card is furniture.
#[test]
fn a_card_above_a_post_rewritten_whole_is_furniture() {
    let bridge = |body: &str| {
        format!(
            "Harbour bridge shut after lorry overturns\n{body}\nHugo Adeyemi 10 May 2024 09:40\n"
        )
    };
    let first = bridge("Police closed the bridge at dawn.");
    let rewritten = bridge("Engineers say the bridge will stay shut until the wind drops tonight.");
    let card = "Council tax rises approved across the region\n";
    let t = storm_pages(&[
        &[FERRY, &first, WARNING],
        &[TRAINS, FERRY, &rewritten, WARNING],
        &[TRAINS, FERRY, card, &rewritten, WARNING],
    ]);
    let post = post_containing(&t, "Engineers say");
    assert_eq!(&*post.headline, "Harbour bridge shut after lorry overturns");
    assert_eq!(
        post.versions.len(),
        2,
        "the rewrite, and no version for the card"
    );
    assert_furniture_once(&t, card.trim());
}

#[test]
fn a_post_timed_in_utc_in_one_crawl_and_in_its_zone_in_the_next_is_one_post() {
    // One crawl's page gives each post's time in UTC (from its data, each
    // post one paragraph), the next prints it in the publisher's zone
    // (from its markup, in paragraphs): the same moments, the same posts.
    let crawl = |times: [&str; 2], breaks: &str| {
        format!(
            " date 2024-10-20 Hurricane live\n{}\nBy Oscar Doherty\nOfficials at the airport said no flights would leave before Tuesday morning.{breaks}Two runways are under water.\n{}\nBy Ian Quinn\nSeven schools have opened as shelters for families from the low-lying streets.{breaks}More will open tonight.\n",
            times[0], times[1]
        )
    };
    let docs = vec![
        Document::new(
            "storm-1.txt",
            crawl(
                ["2024-10-20T16:38:00+00:00", "2024-10-20T16:21:00+00:00"],
                " ",
            ),
        ),
        Document::new("storm-2.txt", crawl(["5.38pm BST", "5.21pm BST"], "\n")),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    assert_eq!(t.posts.len(), 2, "{:#?}", t.posts);
    assert!(t.posts.iter().all(|p| p.seen_in.len() == 2));
    assert_eq!(
        t.posts[0].published.as_deref(),
        Some("2024-10-20T16:38+00:00")
    );
}

const RAIN_WARNING: &str = "11:44 | Forecasters warned of heavy rain across the valley for the next three days, with the wettest spell expected on Thursday night when the river is already high.\n";
const LEVELS: &str = "11:44 | River levels keep rising at the weir, the environment agency said in its noon update.\n\
The gauge at the weir read 4.1 metres, up 20 centimetres on the hour (readings at noon)\n";
const NIGHT_SHIFT: &str = "01:40 | Crews worked through the night to shore up the wall by the old mill, where the water came within a few centimetres of the top before the tide turned.\n";
const SCHOOLS: &str = "14:12 | All schools in the valley closed at noon, the council said, and parents were asked to collect their children from the gates on the upper road, away from the river.\n";
const RAIL: &str = "09:39 | Trains will not run north of the town until the track has been inspected, the operator said, and replacement buses will leave from the station forecourt every half hour.\n";

/// Cards at the foot of the page run into its last post, whose own text
/// ends on a line without closing punctuation. Another crawl shows the
/// post whole (a post below it) without them, so they are furniture,
/// even where the crawls' other comparisons of the post are muddled (a
/// post of the day before printed at the same clock time).
#[test]
fn cards_at_the_foot_that_another_crawl_shows_the_post_without_are_furniture() {
    let page = |name: &str, date: &str, posts: &[&str], foot: &str| {
        let title = "Flood live: river bursts its banks";
        Document::new(
            format!("flood-{name}.txt"),
            format!(" date {date} {title}\n{}{foot}", posts.concat()),
        )
    };
    let card = "Harbour lights up as the summer festival opens on the quay";
    let docs = vec![
        page("1", "2024-05-09", &[RAIN_WARNING], ""),
        page(
            "2",
            "2024-05-10",
            &[SCHOOLS, LEVELS, NIGHT_SHIFT],
            "Skip to content\n",
        ),
        page(
            "3",
            "2024-05-10",
            &[RAIL, "More sharing options\n", SCHOOLS, LEVELS],
            &format!("Skip to content\n{card}\n"),
        ),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let levels = post_containing(&t, "The gauge at the weir");
    assert_eq!(
        levels.body[..],
        [Arc::from(
            "The gauge at the weir read 4.1 metres, up 20 centimetres on the hour (readings at noon)"
        )]
    );
    assert_eq!(removal_reasons(&t, card), [Reason::Furniture]);
}

/// A post that ends the page on a list after an ad, in the one crawl that
/// shows it, keeps its list even when the day before printed another post
/// at the same time of day (the two share a clock time, not their text).
#[test]
fn a_list_ending_the_last_post_stays_beside_a_post_of_another_day_at_its_time() {
    let post = |time: &str, headline: &str, text: &str| format!("{time} | {headline}\n{text}\n");
    let page = |date: &str, posts: &[String]| {
        format!(
            " date {date} Flood live: river bursts its banks\n{}Skip to content\n",
            posts.concat()
        )
    };
    let day_before = [
        post("12:30", "Heavy rain forecast for three days", "Forecasters warned of heavy rain across the valley, with the wettest spell on Thursday night."),
        post("11:44", "Rest centres open", "The council opened two rest centres for families moved out of the lower streets overnight."),
        post("10:05", "Sandbags at the depot", "Volunteers filled sandbags at the depot on the ring road from first light."),
    ];
    let levels = "11:44 | River levels keep rising at the weir\nThe environment agency said in its noon update that the river was still rising.\nAdvertisement\nWeir gauge: 4.1 metres\nBridge gauge: 3.7 metres\n";
    let today = [
        post("15:05", "Rail line closed", "Trains will not run north of the town until the track has been inspected, the operator said."),
        post("14:12", "Schools close early", "All schools in the valley closed at noon, the council said."),
        levels.to_string(),
    ];
    let docs = vec![
        Document::new("flood-1.txt", page("2024-05-09", &day_before)),
        Document::new("flood-2.txt", page("2024-05-10", &today)),
    ];
    let t = build_timelines(&docs, &TimelineOptions::default()).remove(0);
    assert_every_line_accounted_for(&docs, &t);
    let levels = post_containing(&t, "still rising");
    assert_eq!(
        levels.body[1..],
        [
            Arc::from("Weir gauge: 4.1 metres"),
            Arc::from("Bridge gauge: 3.7 metres")
        ]
    );
}
