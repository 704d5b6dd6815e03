-- throttleRate holds across instances (DESIGN.md, "Delivery when endpoints fail"): the earliest
-- time, in microseconds since the epoch, at which the endpoint's next send may start. An
-- instance books it (moves it one interval on) in the same statement that checks it is free, so
-- several instances together send no faster than the rate. NULL: free now.
ALTER TABLE endpoints ADD COLUMN throttle_next_at BIGINT;
