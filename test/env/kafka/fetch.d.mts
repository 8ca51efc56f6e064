/** Broker versions with a pinned pom in test/env/kafka/. */
export declare const SUPPORTED_KAFKA_VERSIONS: readonly string[];
/** Path of the pom pinning a version's classpath; throws for an unsupported version. */
export declare function pomFor(version: string): string;
/** Root of the jar cache (`$CQRS_KAFKA_CACHE`, `$XDG_CACHE_HOME/cqrs-slo` or `~/.cache/cqrs-slo`). */
export declare function cacheRoot(): string;
/** Directory with every jar of the broker version, resolved by Maven and cached. */
export declare function fetchKafkaJars(version: string): Promise<string>;
