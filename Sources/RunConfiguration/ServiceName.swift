/// The services moonwatch talks to.
package enum ServiceName: String, Sendable, CaseIterable {
    case tryon, metastudio, modelarts, faceedge, iam
}
