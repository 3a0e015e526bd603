package dev.ferry.bench;

import dev.ferry.bench.MetricAgreement.Reading;
import dev.ferry.cli.ChannelStatus;
import dev.ferry.cli.FlinkRestClient;
import dev.ferry.config.ChannelConfig;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Reads one direction's {@code lagMs} once a second, as {@code ferry status} does, until stopped. */
final class LagMetricSampler {
    private final ChannelConfig config;
    private final String direction;
    private final FlinkRestClient rest;
    private final List<Reading> readings = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    LagMetricSampler(ChannelConfig config, String direction, String dashboardUrl) {
        this.config = config;
        this.direction = direction;
        this.rest = new FlinkRestClient(dashboardUrl);
        this.thread = new Thread(this::loop, "lag-metric-" + direction);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    List<Reading> stop() throws InterruptedException {
        stop = true;
        thread.join();
        return List.copyOf(readings);
    }

    private void loop() {
        long next = System.currentTimeMillis();
        while (!stop) {
            try {
                for (ChannelStatus.Direction d : ChannelStatus.read(config, rest)) {
                    if (d.name().equals(direction)) {
                        readings.add(new Reading(System.currentTimeMillis(), d.lagMs()));
                    }
                }
            } catch (IOException e) {
                readings.add(new Reading(System.currentTimeMillis(), -1)); // the dashboard did not answer: unknown
            }
            next += 1000;
            try {
                Thread.sleep(Math.max(0, next - System.currentTimeMillis())); // a paced reader, as the poller is
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
