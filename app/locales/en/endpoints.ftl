# The endpoints list: the plan's use, recent alerts, and each endpoint's state.

endpoints-add = Add endpoint
endpoints-move-to-larger-plan = Move to a larger plan
endpoints-lead = The URLs that receive this company's events, signed, with retries.
endpoints-loading = Loading endpoints…
endpoints-empty-title = No endpoints yet
endpoints-empty-can-write = Add an endpoint: the HTTPS URL of your server that should receive events. You choose which events it gets, and you can send it a test event right away.
endpoints-empty-read-only = Nothing is set up here yet. Someone with write access can add an endpoint.

# Why events may not be arriving; each sentence ends with a time.
endpoints-paused = Paused
endpoints-paused-by-receiver = it asked to wait (Retry-After); next try
endpoints-paused-after-failures = after { $count } failed attempts in a row
endpoints-paused-failing-since = , failing since
endpoints-paused-next-try = ; next try
endpoints-failing = Failing
endpoints-failing-since = since
endpoints-waiting =
    { $count }{ $more } { $count ->
        [one] delivery waits
       *[other] deliveries wait
    }

endpoints-plan-usage = Plan usage
endpoints-plan-name = { $plan } plan
endpoints-usage-endpoints = { $used } of { $limit } endpoints
endpoints-usage-deliveries = { $sent } of { $limit } deliveries this hour
endpoints-usage-held = { $count } held by the plan limit
endpoints-usage-until = until

endpoints-recent-alerts = Recent alerts
endpoints-notice-endpoint-disabled = Endpoint disabled
endpoints-notice-not-delivered = Not delivered
