import Hummingbird
import JSON

/// `GET /v2/{project_id}/services/{service}/tasks/{task_id}` (seed 003): the task object at
/// top level, for any `{service}` (the seed's is `c-face-edge`).
struct FaceEdgeRoute: Sendable {
    let state: EmulatorState
    let gateway: HuaweiGateway

    func handle(_ req: ServiceRequest) async throws -> Reply {
        let project = req.parameter("project_id")
        if let refusal = try await gateway.admit(req, service: .faceEdge, pathProject: project) {
            return refusal
        }
        let service = req.parameter("service"), taskID = req.parameter("task_id")
        guard let task = state.scenario.faceEdgeTask(taskID, service: service) else {
            return .service(.faceEdge, .notFound, detail: "task \(taskID) of service \(service)")
        }
        let progress = state.jobs.query(of: .faceEdge, id: "\(service)/\(taskID)", now: req.now)
        let start = progress.start
        let position = state.position(on: task.timeline, progress, now: req.now)
        let updated = state.realTime(start: start, scenarioSeconds: position.enteredAt)
        return .json(.ok, body(task: task, project: project, state: position.step.state, created: start, updated: updated))
    }

    private func body(task: FaceEdgeTask, project: String, state stateName: String, created: Double, updated: Double) -> String {
        let seed = state.seed
        func id(_ label: String) -> String {
            Hex.encode(StableHash.of(label, task.service, task.taskID, seed: seed)) + Hex.encode(StableHash.of(label + "2", task.taskID, seed: seed))
        }
        let camera = id("camera")
        let cameraID = "\(camera.prefix(8))-\(camera.dropFirst(8).prefix(4))-\(camera.dropFirst(12).prefix(4))-\(camera.dropFirst(16).prefix(4))-\(camera.dropFirst(20).prefix(12))"
        let roi = "{\"polygons\":[{\"data\":[[100,100],[1800,100],[1800,1000],[100,1000]]}]}"
        return """
            {"id":\(JSONValue.quoted(task.taskID)),"name":\(JSONValue.quoted(task.name ?? "人脸提取-T4M-edge-0")),\
            "creator":"\(DemoCredentials.iamUser)","project_id":\(JSONValue.quoted(project)),\
            "description":"face detection task","service_version":"3.0",\
            "edge_pool_id":"\(id("pool"))","resource_order_id":"\(id("order"))",\
            "created_at":"\(RFC3339.seconds(created))","updated_at":"\(RFC3339.seconds(updated))",\
            "state":\(JSONValue.quoted(stateName)),\
            "input":{"type":"edgecamera","data":[{"id":"\(cameraID)"}]},\
            "output":{"webhook":{"url":"https://apigw.xx.com/api/mqs/sit","headers":{"content-type":"application/json"},\
            "data_category":["FaceImage","OriginImage"]}},\
            "service_config":{"common":{"detection_max_size":800,"detection_min_size":120,"origin_image_send_sw":0,\
            "face_first_send_threshold":0.0,"face_must_send_sw":0,"face_repeat_send_sw":1,"face_repeat_send_mode":"PERIOD",\
            "face_repeat_send_step":1,"face_repeat_send_interval":1,"target_roi":\(JSONValue.quoted(roi)),\
            "image_compression_ratio":90}}}
            """
    }
}
