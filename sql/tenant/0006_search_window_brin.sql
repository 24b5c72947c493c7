-- The time window of a search for a word found only far back (search_tasks'
-- in_window, in sql/queries/tasks.sql): a BRIN index keeps the range of
-- created_at of every 4 heap pages, so a window of half a million tasks costs
-- a few thousand summaries, where tasks_newest_idx hands the bitmap one entry
-- per task (~40 ns each: 20-40 ms for such a window). ANDed with the trigram
-- index's exact bitmap, only the matches on the window's pages are read again.
-- 4 pages a range rather than BRIN's 128: at a million tasks the planner then
-- costs it above the trigram index and starts the AND from the trigram's
-- bitmap, so those pages stay exact (started from BRIN's lossy pages, every
-- task on them is tested), and a range past the window's edge costs 4 pages,
-- not 128.
-- On the UTC time rather than created_at itself, so that only the window, which
-- names that expression, uses it: the walks and samples keep tasks_newest_idx,
-- and the window cannot pick a B-tree range instead. Tasks are appended in time
-- order, so the ranges are narrow; an updated task that lands on an older page
-- widens that range's summary, which then joins more windows and costs rereads,
-- never a wrong answer (the rows are checked again).
CREATE INDEX tasks_created_brin_idx ON tasks
    USING brin ((created_at AT TIME ZONE 'UTC')) WITH (pages_per_range = 4);
