"""Benchmark inputs: English prose of fixed sizes, written for this project."""

SENTENCE = "I love deep conversations and thinking about abstract ideas."

_PARAGRAPHS = (
    "Last weekend I finally cleaned out the garage, which had been on my list "
    "for months. I found old letters from school friends, a broken bicycle and "
    "boxes of books I had forgotten about. Reading the letters made me wonder "
    "how people drift apart without ever deciding to. I called two of them that "
    "evening and we talked for hours about what we had been doing, the jobs we "
    "took, the cities we moved to and the plans that never happened at all.",
    "At work our team keeps arguing about whether to plan everything in advance "
    "or to figure things out as we go. I like having a schedule, because "
    "deadlines make me calm rather than nervous, but a colleague says lists "
    "kill creativity. Honestly we are both right some of the time. The best "
    "projects we shipped had a clear goal and a lot of freedom in how to reach "
    "it, and the worst ones had neither, just meetings about more meetings.",
    "My favourite way to spend an evening is a long walk with music, then "
    "cooking something new while my partner tells me about her day. Crowded "
    "parties drain me quickly, although I enjoy them for the first hour. I get "
    "curious about why people believe what they believe, and I read about "
    "history, psychology and physics until far too late at night. Then I "
    "regret it in the morning when the alarm rings and the coffee is gone.",
    "When a friend is upset I try to listen first instead of fixing the "
    "problem immediately, which took me years to learn. Logic matters to me, "
    "yet feelings are facts too, and ignoring them usually makes everything "
    "worse. I sometimes write long messages, delete them and send a short one "
    "instead. People tell me I seem calm, but inside I am often running "
    "through every possible outcome of a conversation before it even starts.",
    "Travelling alone taught me more than any class did. I missed trains, "
    "got lost in markets, ate strange food and met strangers who became "
    "friends for a day. Some mornings I planned every hour, other days I just "
    "followed the street that looked most interesting. Coming home, I noticed "
    "the ordinary things again: the light in the kitchen, the noise of the "
    "neighbours, the comfortable routine I had complained about before leaving.",
)


def words(count: int) -> str:
    """Return `count` words of prose, cycling through the paragraphs."""
    pool = " ".join(_PARAGRAPHS).split()
    return " ".join(pool[i % len(pool)] for i in range(count))
