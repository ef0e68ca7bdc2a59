import { algorithmsSection } from "./algorithms";
import { apiServerSection } from "./apiServer";
import { bootstrapSection } from "./bootstrap";
import { clusterSection } from "./cluster";
import { deliverySection } from "./delivery";
import { networkingSection } from "./networking";
import { nodesSection } from "./nodes";
import { rotationSection } from "./rotation";
import { Section } from "./section";
import { validitySection } from "./validity";

/**
 * Every section of the arguments, in the order their problems are listed. Each owns some top-level
 * fields (see {@link Section}); together they name every known top-level field. Add a section here.
 */
export const SECTIONS: readonly Section[] = [
  clusterSection,
  networkingSection,
  apiServerSection,
  nodesSection,
  algorithmsSection,
  validitySection,
  deliverySection,
  bootstrapSection,
  rotationSection,
];
