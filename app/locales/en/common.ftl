# Pieces every portal page shares: times, copy buttons, badges, the attempts table.

common-just-now = just now
common-minutes-ago = { $count } min ago
common-hours-ago = { $count } h ago
common-days-ago =
    { $count ->
        [one] 1 day ago
       *[other] { $count } days ago
    }

common-copy = Copy
common-copied = Copied
common-copy-failed = Could not copy: select the text and copy it

# The bars of an endpoint's last 24 hours, for screen readers and on hover.
common-sparkline-label = Last 24 hours: { $total } attempts, { $failed } failed
common-no-attempts-yet = No attempts yet
common-enabled = Enabled
common-disabled = Disabled

common-no-response = No response
common-succeeded = Succeeded
common-failed = Failed
common-duration-ms = { $ms } ms
common-manual = Manual
common-scheduled = Scheduled
common-details = Details
common-replay = Replay
common-replay-queued = Replay queued: it goes out now.
common-col-message = Message
common-col-duration = Duration
common-col-trigger = Trigger
