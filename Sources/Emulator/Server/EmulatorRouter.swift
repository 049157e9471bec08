import Hummingbird

/// Every route on one router (and so on one port).
enum EmulatorRouter {
    static func make(state: EmulatorState) -> Router<EmulatorRequestContext> {
        let router = Router(context: EmulatorRequestContext.self)
        router.add(middleware: UnmatchedRoute(state: state))
        let pipeline = Pipeline(state: state)
        let gateway = HuaweiGateway(state: state)
        let responder = ObjectResponder(state: state)
        let objects = ObjectStorageRoute(state: state, responder: responder)
        let files = TryOnFileRoute(state: state, responder: responder)

        let tryOn = pipeline.route(.tryOnResult, TryOnRoute(state: state).handle)
        router.post("/tryon/api/inf/get_result", use: tryOn)
        router.get("/tryon/api/inf/get_result", use: tryOn)
        let file = pipeline.route(.tryOnFile, files.handle)
        router.get("/oss/**", use: file)
        router.head("/oss/**", use: file)

        let metaStudio = MetaStudioRoute(state: state, gateway: gateway)
        router.get(
            "/v1/{project_id}/digital-human/stylized/picture-modelings/{job_id}",
            use: pipeline.route(.metaStudioJob, metaStudio.handle)
        )
        router.post(
            "/v1/{project_id}/digital-human/stylized/picture-modelings",
            use: pipeline.route(.metaStudioCreate, MetaStudioCreateRoute(state: state, gateway: gateway, jobs: metaStudio).handle)
        )
        router.get(
            "/v2/{project_id}/processor-tasks/{task_id}/versions/{version_id}/results",
            use: pipeline.route(.modelArtsResults, ModelArtsRoute(state: state, gateway: gateway).handle)
        )
        router.get(
            "/v2/{project_id}/services/{service}/tasks/{task_id}",
            use: pipeline.route(.faceEdgeTask, FaceEdgeRoute(state: state, gateway: gateway).handle)
        )
        router.post("/v3/auth/tokens", use: pipeline.route(.iamTokens, IAMRoute(state: state).handle))
        let object = pipeline.route(.objectStorage, objects.handle)
        router.get("/obs/{bucket}/**", use: object)
        router.head("/obs/{bucket}/**", use: object)

        let admin = AdminRoutes(state: state, objects: objects, files: files)
        router.get("/_emulator/config", use: pipeline.route(.admin, admin.config))
        router.get("/_emulator/counters", use: pipeline.route(.admin, admin.counters))
        router.get("/_emulator/scenario", use: pipeline.route(.admin, admin.scenario))
        router.post("/_emulator/scenario", use: pipeline.route(.admin, admin.loadScenario))
        router.post("/_emulator/reset", use: pipeline.route(.admin, admin.reset))
        router.get("/_emulator/faults", use: pipeline.route(.admin, admin.faults))
        router.post("/_emulator/faults", use: pipeline.route(.admin, admin.addFaults))
        router.delete("/_emulator/faults", use: pipeline.route(.admin, admin.clearFaults))
        router.post("/_emulator/clock", use: pipeline.route(.admin, admin.clock))
        router.get("/_emulator/timeline", use: pipeline.route(.admin, admin.timeline))
        router.get("/_emulator/objects/info", use: pipeline.route(.admin, admin.objectInfo))
        let echo = pipeline.route(.echo, EchoRoute().handle)
        for method: HTTPRequest.Method in [.get, .head, .post, .put, .patch, .delete] {
            router.on("/_emulator/echo", method: method, use: echo)
            router.on("/_emulator/echo/**", method: method, use: echo)
        }
        return router
    }
}
