package httpapi

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the server's Prometheus metrics, in their own registry.
type Metrics struct {
	Registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	rejections  *prometheus.CounterVec
	commit      *prometheus.HistogramVec
	eventLag    *prometheus.GaugeVec
	deliveries  *prometheus.CounterVec
	limited     *prometheus.CounterVec
	eventsBlock *prometheus.GaugeVec
}

// NewMetrics registers the metrics in a new registry, with the Go and process
// collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "warrantd_requests_total",
			Help: "HTTP requests by operation and status."}, []string{"operation", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "warrantd_request_duration_seconds",
			Help: "HTTP request latency by operation.", Buckets: prometheus.DefBuckets}, []string{"operation"}),
		rejections: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "warrantd_rejections_total",
			Help: "Requests refused, by operation and error code (the chaincode's or the server's)."}, []string{"operation", "code"}),
		commit: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "warrantd_commit_duration_seconds",
			Help: "Time from endorsement to commit of submitted transactions, by operation.", Buckets: prometheus.DefBuckets}, []string{"operation"}),
		eventLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "warrantd_event_lag_seconds",
			Help: "Time between an event's ledger time and its delivery, by consumer (webhook endpoint or stream)."}, []string{"consumer"}),
		eventsBlock: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "warrantd_event_block",
			Help: "Block number of the last event delivered, by consumer."}, []string{"consumer"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "warrantd_webhook_attempts_total",
			Help: "Webhook delivery attempts by endpoint and result (delivered, failed)."}, []string{"endpoint", "result"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "warrantd_limited_total",
			Help: "Requests refused by a limit (rate, size)."}, []string{"limit"}),
	}
	m.Registry.MustRegister(m.requests, m.latency, m.rejections, m.commit, m.eventLag, m.eventsBlock, m.deliveries, m.limited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
