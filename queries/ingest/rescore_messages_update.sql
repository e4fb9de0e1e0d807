-- Store the fresh sentiment of every re-scored message.
-- Params: none (reads the registered frame rescored). Grain: none (DML).
update messages as m
set sentiment_score = r.sentiment_score, sentiment_label = r.sentiment_label
from rescored as r
where m.message_id = r.message_id
