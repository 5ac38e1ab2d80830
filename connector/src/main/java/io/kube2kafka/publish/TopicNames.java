package io.kube2kafka.publish;

import io.kube2kafka.watch.WatchTarget;

/** Resolves the kafka.topic template for a watch. */
public final class TopicNames {
    private final String template;

    public TopicNames(String template) {
        this.template = template;
    }

    public String topicFor(WatchTarget target) {
        return template.replace("{cluster}", target.cluster())
                .replace("{group}", target.resource().groupName())
                .replace("{version}", target.resource().version())
                .replace("{resource}", target.resource().plural());
    }
}
