import { TAGS } from "../../functions/lib/amazon-mq.js";
import type { MqContext } from "./context.js";
import { BadRequestException, MissingParameter, UnknownResourceArn } from "./exceptions.js";
import type { OperationCall } from "./router.js";
import * as validate from "./validation.js";

/** The tags of the broker or configuration an ARN names (the ARN is the path's one label). */
function tagsOf(context: MqContext, arn: string): Record<string, string> {
  const resource =
    Object.values(context.state.brokers).find((broker) => broker.arn === arn) ??
    Object.values(context.state.configurations).find((configuration) => configuration.arn === arn);
  if (resource === undefined) {
    throw new UnknownResourceArn(arn);
  }
  return resource.tags;
}

export function tagOperations(context: MqContext) {
  return {
    CreateTags({ body, params }: OperationCall) {
      const tags = tagsOf(context, params.resourceArn ?? "");
      const added = validate.tags(body.stringMap("tags"));
      if (Object.keys({ ...tags, ...added }).length > 50) {
        throw new BadRequestException(`A resource may have at most ${TAGS.max} tags.`, "tags");
      }
      Object.assign(tags, added);
      context.save();
      return undefined;
    },

    ListTags({ params }: OperationCall) {
      return { tags: tagsOf(context, params.resourceArn ?? "") };
    },

    DeleteTags({ params, request }: OperationCall) {
      const tags = tagsOf(context, params.resourceArn ?? "");
      const keys = request.query.getAll("tagKeys");
      if (keys.length === 0) throw new MissingParameter("tagKeys");
      for (const key of keys) delete tags[key];
      context.save();
      return undefined;
    },
  };
}
