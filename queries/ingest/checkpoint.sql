-- Write the committed changes into the database file and reclaim the space of dropped or rolled-back data.
-- Params: none. Grain: none (maintenance).
checkpoint
