package io.tern.bench.runner;

import io.tern.bench.driver.Result;

/**
 * One measured window as the runner keeps it: which scenario, round and provider, and either the driver's result or
 * why there is none.
 */
record Sample(String scenario, int round, String provider, Result result, String failure) {

    static Sample measured(String scenario, int round, String provider, Result result) {
        return new Sample(scenario, round, provider, result, null);
    }

    static Sample failed(String scenario, int round, String provider, String failure) {
        return new Sample(scenario, round, provider, null, failure);
    }

    boolean ok() {
        return result != null;
    }
}
