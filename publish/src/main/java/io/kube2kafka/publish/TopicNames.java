package io.kube2kafka.publish;

import io.kube2kafka.watch.WatchTarget;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Resolves the kafka.topic template for a watch; once per watch, as every event asks. */
public final class TopicNames {
    private final String template;
    private final Map<WatchTarget, String> resolved = new ConcurrentHashMap<>();

    public TopicNames(String template) {
        this.template = template;
    }

    public String topicFor(WatchTarget target) {
        return resolved.computeIfAbsent(target, t -> template.replace("{cluster}", t.cluster())
                .replace("{group}", t.resource().groupName())
                .replace("{version}", t.resource().version())
                .replace("{resource}", t.resource().plural()));
    }
}
