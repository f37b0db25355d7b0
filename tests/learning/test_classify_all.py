"""``classify_all`` (a batch stage by stage: every item's features, then every prediction; issue 16) gives
each item what it gives the item alone, in the batch's order, EMPTY for an item without Persian letters."""
from app.rules.analysis import analyze_item
from app.services.learning import EMPTY, ActiveModel, classify_all, starter_model

ITEMS = [
    ("قطعی آب در روستاهای شهرستان", "اهالی روستا از قطعی آب شرب گلایه دارند و تانکرها دیر می‌رسند."),
    ("Water cut in the north", "No Persian letter here."),
    ("خاموشی گسترده در شهر", "قطع برق و خاموشی‌های پی‌درپی؛ شرکت توزیع نیروی برق از تعمیر کابل‌ها خبر داد."),
    ("گلایهٔ ساکنان از رهاشدن پروژهٔ پارک محله", "ساکنان می‌گویند پروژه سه سال است نیمه‌کاره مانده؛ چرا؟"),
]


def test_a_batch_gives_each_item_its_own_reading_in_order():
    active = ActiveModel(None, starter_model())
    slugs = {"water", "power", "municipality", "governorate"}
    analyzed = [analyze_item(title, text) for title, text in ITEMS]
    together = classify_all(analyzed, slugs, active)
    alone = [classify_all([item], slugs, active)[0] for item in analyzed]
    assert together == alone
    assert together[1] is EMPTY and "water" in {**together[0].routes, **together[0].suggested}
    assert classify_all([analyzed[1]], slugs, active) == [EMPTY]
