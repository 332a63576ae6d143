"""Alternate phrase lists for page furniture: a held-out proxy.

This module defines the same lists and dicts as furniture.py (same names,
same types, same template syntax and slots) in entirely different words.
It was written independently, from furniture.py's interface alone and
without sight of the engine under crates/, modelled on the furniture real
news sites print around live-blog posts. No phrase or 3+-word fragment of
furniture.py is reused. Because the engine was tuned while its authors
looked at furniture.py's wording, scores on pages drawn from these lists
stand in for sites it has never seen.

Template syntax (see textgen.expand): {a|b|c} alternatives (nestable),
{NAME} slots (SLOTS below, plus SITE, NEWSLETTER, CLOCK, WEEKDAY and N,
which SiteFurniture supplies), [text] optional. Data only; SiteFurniture
in furniture.py reads these lists when asked for the "alt" phrasings.
"""

from textgen import expand, cap, person_name, TOPICS, NewsText  # noqa: F401  (same names as furniture.py)

SITE_NAMES = ["The Riverside Gazette", "Coastline Chronicle", "The Dispatch Room", "Westgate Record",
              "The Civic Tribune", "Highland Advertiser", "Bayview Press", "The Northfield Star",
              "The Morning Beacon", "Lakeshore Journal", "Fenwick Examiner", "The Commons Report",
              "Southbank Telegraph", "The Crossing", "Valley Voice", "The Ironbridge Mercury",
              "Tidewater Post", "Kingsbridge Argus", "Ridgeline Reporter", "The Metropolitan Mirror",
              "The Compass Daily", "Cobalt Coast News", "The Prairie Sentinel"]
NEWSLETTER_NAMES = ["Daybreak", "The Catch-Up", "Evening Wrap", "Five Things", "The Week Ahead", "Sunrise Digest",
                    "World Watch", "Westminster Insider", "The Climate Desk", "Money Matters", "Election Countdown",
                    "After Hours", "The Weekender", "The Essentials", "Front Page", "Sports Extra", "The Explainer",
                    "Dispatches", "Tonight in Five", "Local Lowdown", "Health Check"]

SLOTS = {
    "CHANNEL": ["TikTok", "Snapchat", "Reddit", "Mastodon", "Pinterest", "Twitter", "Messenger", "Viber",
                "LINE", "SmartNews", "Google Discover", "Microsoft Start", "Substack", "WhatsApp Channels",
                "Instagram and Facebook", "Tumblr"],
    "UPDATES": ["alerts", "breaking alerts", "the headlines", "news as it happens", "fresh developments",
                "key moments", "minute-by-minute coverage", "top stories", "instant notifications",
                "the day’s big stories", "rolling coverage", "on-the-ground reports"],
    "MONEY": ["£3", "$5", "€1", "A$4", "₹99", "$2 a week", "£4 per month", "only €3", "$10", "£1.50"],
    "JOURNALISM": ["trustworthy news", "this coverage", "frontline reporting", "local news",
                   "in-depth reporting", "our correspondents’ work", "accountability journalism",
                   "free-to-read news", "journalism you can rely on", "the live blog you are reading"],
    "READERS": ["regular readers", "listeners and readers", "ordinary readers", "the public", "our community",
                "paying members", "donors", "readers like you", "thousands of readers"],
}

FOLLOW = [
    "{SITE} is now on {CHANNEL}{|. Come and say hello|: see you there}",
    "{Turn on|Switch on|Allow} {notifications|push alerts|browser alerts} {for|and get} {UPDATES}",
    "{Scan|Point your camera at} the QR code to {open|install} our app",
    "{{UPDATES}|Breaking stories|Big stories}, delivered to your {lock screen|feed|smartwatch}",
    "We’re on {CHANNEL} – {tap|press} {here|the link} to {join the channel|come along|get involved}",
    "{SITE} app: {faster loading|fewer ads|offline reading}{|, {alerts|notifications} you control}",
    "{Listen to|Tune in to} {SITE}’s {daily|morning} podcast{| wherever you get your podcasts| every weekday morning}",
    "{Watch|Stream} {it live|rolling coverage|the press conference} {in|with} {SITE}’s app{| or on {CHANNEL}}",
    "{Got|Have} a {story|tip|news tip}? {Message|Contact} {the newsdesk|our reporters} {on|via} {CHANNEL}",
    "{Connect|Keep in touch} with {SITE} – {CHANNEL}, {CHANNEL} and more",
    "{Make|Set} {SITE} your {homepage|start page|go-to source}{| in Google Search}",
    "{Breaking|Developing} news? {Enable|Allow} alerts in {Settings|the browser}",
    "Available on the App Store and Google Play",
    "Prefer to listen? {Hit play|Press play} {above|below} for {the audio version|today’s episode}",
    "{Join|Come and find} the {N} {others|people} in our {reader community|Discord server}",
    "{Be first|First} with the news: {download|install} {SITE} for {iPhone|Android|iOS and Android}",
    "{More|Extra} {clips|video|behind-the-scenes footage} {over on|at} {CHANNEL}",
]
DONATE_PARAGRAPHS = [
    "{This coverage|Covering a story like this} {costs money to produce|is expensive to produce|doesn’t come cheap}. "
    "{Reporters|Editors|Photographers} {have been working|are working} {around the clock|through the night} "
    "{on the story|to bring you updates}. If {you value|you have valued} {it|what they do}, "
    "a {contribution|gift} {of {MONEY}|, however modest,} {would mean a lot|makes a real difference}.",
    "{Advertising revenue|Ad income} {has collapsed|keeps falling|no longer covers the cost of reporting}. "
    "{More than ever|Increasingly}, {SITE} {depends on|turns to} {READERS} to {keep going|pay for {JOURNALISM}}.",
    "{No billionaire owner|No shareholder|No corporate owner} {tells us what to write|sets our agenda}. "
    "{Our|The paper’s} {independence|editorial freedom} {is protected by|comes from} {READERS}{|, and it always will}.",
    "{You have read|You’ve read} {N} articles {this month|in the past year|since January}. "
    "{Would you consider|How about} {paying|giving} {MONEY} {so others can read them too|to keep them open to everyone}?",
    "{Donations are|Gifts are} {tax-deductible|eligible for Gift Aid} {where applicable|in the US|for UK taxpayers}. "
    "{SITE} is a {registered charity|nonprofit newsroom|501(c)(3) organisation}.",
    "{Misinformation|Disinformation|Rumour} {spreads fast|travels quickly} {in moments like this|during a crisis}. "
    "{Verified|Checked|Careful} reporting {takes time and money|is slower and costlier}, "
    "{and {READERS} pay for it|which is why we ask}.",
    "{Stand with|Be one of} the {N} {people|readers} who fund {SITE} {every month|regularly}. "
    "It {takes|only takes} {a minute|two minutes}{| and you can cancel whenever you like}.",
    "We’d {love|like} to {keep|go on keeping} {this page|these updates} open to all, "
    "{regardless of|whatever their} {ability to pay|means}. {That|Doing so} {costs|requires} {money|funding}.",
]
DONATE_HEADINGS = [
    "A {message|note|request} from {the editor|our editor-in-chief|everyone at {SITE}}",
    "{Independent|Free|Open} news {needs|depends on} {you|readers}",
    "{Is|Was} this {coverage|live blog|page} {useful|valuable|worth something} to you?",
    "{Thank you for|Thanks for} {reading|following along|staying with us}",
    "{Power|Fuel|Sustain} {our|this} newsroom",
    "{Reporting|Journalism} {costs money|isn’t free}{| – and it’s worth it}",
    "{SITE} {relies|depends} on {READERS}",
    "{Still here?|You’ve scrolled this far}",
    "{Defend|Protect} {the truth|facts|{JOURNALISM}}",
]
DONATE_BUTTONS = [
    "{Chip in|Pitch in|Pay} {MONEY}{| →}",
    "{Give|Donate} {monthly|annually|once}",
    "{Yes|Count me in}, I’ll {help|contribute|give}",
    "{Pay|Continue} with {PayPal|Apple Pay|card}",
    "{Choose|Pick} {an amount|your amount}",
    "{Start|Begin} {my membership|a recurring donation}",
    "{Remind me later|Maybe later|Not now}",
    "{Donate|Give} to {SITE}{| →}",
]
NEWSLETTER_HEADINGS = [
    "{NEWSLETTER}{|:} the {essential|must-read|smart} {email|digest} {for|on} {busy mornings|the week ahead|the day’s events}",
    "{Don’t want to|Rather not} {check back|keep refreshing}? Let {NEWSLETTER} {come to you|land in your mailbox}",
    "{Free|Daily|Weekly} {newsletter|email}: {NEWSLETTER}",
    "{Start|End} your day with {NEWSLETTER}",
    "{Be the first to know|Know more, faster|Smarter in five minutes}",
    "{Inbox|Email} {alert|edition}: {NEWSLETTER}{| from {SITE}}",
    "{Log in|Register} {for free|} to {get|read} {NEWSLETTER}",
    "{Wrap up|Round off} your {week|day} with {NEWSLETTER}",
]
NEWSLETTER_BLURBS = [
    "{Every|Each} {weekday|morning|evening|Friday}, {our|the} {editors|desk|correspondents} {pick|choose|select} "
    "the {stories|headlines} {that matter|worth your time}{| – in five minutes or less}",
    "By {signing up|subscribing|clicking Sign up}, you {agree to|accept} {our|the} {Terms of Use|Terms & Conditions} "
    "and {acknowledge|confirm you have read} {our|the} Privacy {Policy|Notice}",
    "You {can|may} unsubscribe {at any time|whenever you wish} {using|via} the link {in|at the foot of} {each|every} email",
    "This site is protected by reCAPTCHA and the Google {Privacy Policy|privacy policy} and {Terms of Service|terms} apply",
    "{Analysis|Context|Explainers} {and|plus} the {sharpest|best} {writing|reads} {from|by} {SITE}{|, delivered {free|twice a week}}",
    "{Occasionally|From time to time} {we|{SITE}} {may|will} {send|include} {offers|promotions|event invitations} "
    "{from|on behalf of} {partners|selected partners|sponsors}",
    "A {short|quick} {read|email} to {start|prepare you for} the {day|weekend}",
]
NEWSLETTER_BUTTONS = [
    "{Email address|E-mail}{| *}",
    "{Get it|Count me in|Yes, send it|Submit}",
    "{Thanks for subscribing|You’re on the list|Check your inbox to confirm}{|!}",
    "{Manage|Edit} {my|your} {preferences|newsletters|subscriptions}",
    "{See|Browse} all {newsletters|our emails}",
    "{Already|Previously} {registered|signed up}? {Log in|Sign in}",
    "{I agree|Tick to agree|Yes, I’d like} to {receive|get} {marketing emails|updates and offers} from {SITE}",
    "{Skip|Dismiss|Close} {newsletter sign-up|this box|×}",
    "{No thanks|Not interested|Maybe another time}",
]
COMMENTS = [
    "{Commenting ends|Reader comments close} {WEEKDAY}{|, {CLOCK}}",
    "{This discussion|This thread|Commenting} has {ended|been disabled}",
    "{Comments|Responses} {are moderated|are pre-moderated|go through moderation}{|. Please keep it civil}",
    "{N} {responses|replies|reactions}",
    "{Please|Kindly} {read|review} our {community guidelines|house rules|commenting policy} before {posting|you post|joining in}",
    "{Log in|Register} to {comment|reply|post a comment}",
    "{What do you think|Where do you stand|How has this affected you}? {Share your views|Leave a comment|Post your thoughts}",
    "{Comments|Conversation} ({N})",
    "{We’ve|We have} {turned off|disabled} comments {here|for legal reasons|to protect the legal process}",
    "{Most liked|Top rated|Most recent} {comments|replies}",
    "{Report|Flag} {this comment|abuse}",
]
COPY_LINK = [
    "{Copy|Grab} {URL|the URL}",
    "{Direct|Permanent} link{| to post}",
    "{Anchor|Post} link",
    "{Copied!|URL copied|Saved to clipboard}",
    "Get a {shareable|short} link",
    "🔗",
    "{Bookmark|Save for later}",
    "{Embed|Cite} this {post|entry}",
    "Link",
    "{Send|Forward} {post|entry}",
    "{Open|View} {as a single post|in new tab}",
]
SHARE_LABELS = [
    "{Send|Post} to {CHANNEL}",
    "{Email|Mail} this {story|article|page}",
    "{Share|Send} {article|page}",
    "{Reddit|Messenger|Tumblr|Mastodon|Print|SMS|Pocket}",
    "{Gift|Give} this article",
    "{Gift|Unlock} {an article|articles} to share",
    "{Open|Show|More} sharing options",
    "{N} shares",
    "{Tweet|Post} this",
    "Print {page|article|}",
]
AD_LABELS = [
    "{Advert|ADVERT|Ad|Ads}",
    "{Story|Article} {resumes|carries on} {below|after this advert}",
    "{Remove|Hide} ads{| with {SITE} Premium}",
    "{Go ad-free|Ad-free for {MONEY}|Read without ads}",
    "{Sponsored by|Presented by|In partnership with} {Northbank Insurance|Crestline Motors|Halden Bank}",
    "{Why am I seeing this ad?|About this ad|AdChoices|Report this ad}",
    "{Adverts|Ads} {help fund|pay for} {JOURNALISM}",
    "{Commercial|Brand} {feature|partnership|partner story}",
    "{Paid post|Paid for by {SITE} Studio|Produced by {SITE} Labs}",
    "{Keep scrolling|Scroll} {to keep reading|for more}",
    "{Content|Links} {by|via} {Taboola|Outbrain}",
    "Around the web",
    "{Close|Skip} ad",
    "Sponsor message",
    "{Featured|Spotlight} {partner|offer}",
    "Ads by Google",
    "{Turn off|Disable} your ad blocker {to support {SITE}|to keep reading}",
]
TEASER_LABELS = [
    "Top stories",
    "{Watch|WATCH}:",
    "In pictures",
    "Editor’s picks",
    "Trending{| now}",
    "{Listen|Podcast}:",
    "{Elsewhere|Also} {on|from} {SITE}",
    "{Don’t miss|Catch up}",
    "{Most watched|Most shared}",
    "{Background|Timeline|Fact check|Verified}",
    "{Go deeper|Dig deeper|Understand the story}",
    "{Recap|Catch up}: {what happened|the story so far}",
    "{Popular|Trending} {on|across} {SITE}",
    "Picked for you",
    "{Video|Gallery|Interactive}",
    "{Just in|Developing|Breaking}",
]
PAGE_CHROME = [
    "Jump to latest{| update}",
    "{Pinned|Pinned post}",
    "{Refresh|Reload} {for|to see} {updates|new posts}",
    "{N} new {updates|posts} – {click|tap} to {view|show}",
    "{Auto-update|Auto refresh}: {on|off}",
    "Sort: {newest|oldest}",
    "{Filter|Show only} {highlights|key moments}",
    "{Skip to|Go to} {content|main content|navigation}",
    "{Menu|Search|Sign in}",
    "{As it happened|Ended}",
    "This live {blog|coverage} has {ended|now closed}",
    "{See|View} {all|earlier} {posts|entries}",
    "{Expand|Collapse} all",
    "{Home|Front page} › {News|World|Politics}",
]
