import Emulator
import Foundation
import Testing

/// Replays the requests of the seed documents' own examples and checks the responses field by
/// field against the documented examples (key sets, types, formats, error codes).
@Suite struct ConformanceTests {
    enum Kind: Equatable { case string, integer, float, bool, object, array, null }

    static func kind(_ value: Any) -> Kind {
        switch value {
        case is NSNull: .null
        case is String: .string
        case let n as NSNumber:
            switch String(cString: n.objCType) {
            case "d", "f": .float
            case "c", "B": .bool
            default: .integer
            }
        case is [String: Any]: .object
        default: .array
        }
    }

    static func expectShape(_ body: [String: Any], _ shape: [String: Kind], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(body.keys) == Set(shape.keys), sourceLocation: sourceLocation)
        for (key, expected) in shape {
            #expect(body[key].map(kind) == expected, "\(key)", sourceLocation: sourceLocation)
        }
    }

    /// seeds/000: `requests.post(f"{ApiUrl}/api/inf/get_result", data=json.dumps(params))`: a
    /// JSON string body, no Content-Type. Documented response: `{'code': 200, 'msg': 'ok', 'data': {...}}`.
    static let tryOnData: [String: Kind] = [
        "bmi": .float, "body_url": .string, "cost": .float, "hairOcclued": .integer, "height": .float, "id": .integer,
        "imgUrl1": .string, "imgUrl2": .string, "imgUrl3": .string, "infInfo": .string, "infInfoEn": .string,
        "ipId": .string, "isApi": .integer, "modelBmi": .float, "openId": .string, "position": .integer,
        "shareUser": .integer, "showUrl": .string, "state": .integer, "tempId": .integer, "useInfId": .integer, "weight": .float,
    ]

    @Test func tryOnSeedRequest() async throws {
        let jobs = [
            TryOnJob(infID: 3619, timeline: [.init(state: 1, seconds: 60, position: 0), .init(state: 2)]),
            TryOnJob(infID: 3653, timeline: [.init(state: -1)], failure: .init(info: "没有检测到脸部,请上传正确的人体试衣照片", infoEn: "No face was detected. Please upload the correct human fitting photo.")),
        ]
        try await EmulatorHarness.with(scenario: Scenario(tryon: .init(jobs: jobs))) { h in
            let apiURL = h.base + "/tryon", ossURL = h.base + "/oss/"
            func post(_ infID: Int) async throws -> [String: Any] {
                // json.dumps(params) with Python's default separators.
                let body = "{\"openId\": \"\(DemoCredentials.tryOnOpenID)\", \"apiKey\": \"\(DemoCredentials.tryOnAPIKey)\", \"infId\": \(infID)}"
                let r = try await TestHTTP.send(.POST, "\(apiURL)/api/inf/get_result", body: Array(body.utf8))
                #expect(r.status == 200)
                #expect(r.json["code"] as? Int == 200 && r.json["msg"] as? String == "ok")
                let data = r.json["data"] as? [String: Any] ?? [:]
                Self.expectShape(data, Self.tryOnData)
                return data
            }
            let queued = try await post(3619)
            #expect(queued["state"] as? Int == 1 && queued["position"] as? Int == 0 && queued["cost"] as? Double == 5.0)
            #expect(queued["shareUser"] as? Int == -1 && queued["tempId"] as? Int == 208 && queued["isApi"] as? Int == 1)
            h.clock.advance(by: 60)
            let done = try await post(3619)
            #expect(done["state"] as? Int == 2)
            // pose_url = OssUrl + data['body_url']; out_url = OssUrl + data['showUrl']
            #expect(try await TestHTTP.send(.GET, ossURL + (done["body_url"] as! String)).status == 200)
            #expect(try await TestHTTP.send(.GET, ossURL + (done["showUrl"] as! String)).status == 200)
            let failed = try await post(3653)
            #expect(failed["state"] as? Int == -1)
            #expect(failed["infInfoEn"] as? String == "No face was detected. Please upload the correct human fitting photo.")
            #expect(failed["infInfo"] as? String == "没有检测到脸部,请上传正确的人体试衣照片")
        }
    }

    /// seeds/001: `GET https://metastudio.cn-east-3.myhuaweicloud.com/v1/f488337c31c8e4622f1590735b134c65/
    /// digital-human/stylized/picture-modelings/f503894a-20e2-4274-ad88-8364f59a93da_SMS`.
    @Test func metaStudioSeedRequest() async throws {
        let project = "f488337c31c8e4622f1590735b134c65", jobID = "f503894a-20e2-4274-ad88-8364f59a93da_SMS"
        let job = MetaStudioJob(jobID: jobID, timeline: [.init(state: "PROCESSING", seconds: 24), .init(state: "SUCCEED")], modelAssetID: "3fcb602bdbe4982ff59832b172949a21")
        let scenario = Scenario(credentials: [AccessKeyPair(accessKey: "AK2", secretKey: "SK2", projectID: project)], metastudio: .init(jobs: [job]))
        try await EmulatorHarness.with(scenario: scenario) { h in
            let signer = TestSigner(accessKey: "AK2", secretKey: "SK2")
            let path = "/v1/\(project)/digital-human/stylized/picture-modelings/\(jobID)"
            _ = try await h.signedGET(path, signer: signer, project: project)
            h.clock.advance(by: 24)
            let r = try await h.signedGET(path, signer: signer, project: project, extraHeaders: ["X-App-UserId": "user-42"])
            #expect(r.status == 200)
            #expect(r.header("X-Request-Id") != nil)
            let body = r.json
            Self.expectShape(body, [
                "job_id": .string, "state": .string, "start_time": .string, "end_time": .string, "error_info": .null,
                "model_asset_id": .string, "name": .string, "style_id": .string, "model_cover_url": .string,
            ])
            #expect(body["job_id"] as? String == jobID && body["state"] as? String == "SUCCEED")
            #expect(body["name"] as? String == "my_model" && body["style_id"] as? String == "system_male_001")
            #expect(body["model_asset_id"] as? String == "3fcb602bdbe4982ff59832b172949a21")
            for key in ["start_time", "end_time"] {
                // RFC 3339 as in "2022-11-07T11:43:08Z".
                let text = body[key] as? String ?? ""
                #expect(text.count == 20 && text.hasSuffix("Z") && Array(text)[10] == "T")
            }
            let cover = try #require(URLComponents(string: body["model_cover_url"] as? String ?? ""))
            #expect(cover.queryItems?.map(\.name) == ["AccessKeyId", "Expires", "Signature"])

            // The documented error bodies: {"error_code", "error_msg"}.
            let forbidden = try await h.signedGET(path.replacingOccurrences(of: project, with: "0000"), signer: signer, project: project)
            #expect(forbidden.status == 403)
            Self.expectShape(forbidden.json, ["error_code": .string, "error_msg": .string])
            #expect(forbidden.json["error_code"] as? String == "MSS.00000005")
            #expect((forbidden.json["error_msg"] as? String)?.hasPrefix("Forbidden") == true)
            let invalid = try await h.signedGET(path, signer: signer, project: project, extraHeaders: ["X-App-UserId": "用户"])
            #expect(invalid.status == 400 && invalid.json["error_code"] as? String == "MSS.00000003")
            #expect((invalid.json["error_msg"] as? String)?.hasPrefix("Invalid parameter") == true)
            try h.emulator.addFaults([FaultRule(route: "metastudio.job", kind: .error, status: 500, limit: 1)])
            let internalError = try await h.signedGET(path, signer: signer, project: project)
            #expect(internalError.status == 500)
            #expect(internalError.text == "{\"error_code\":\"MSS.00000004\",\"error_msg\":\"Internal Error\"}")
        }
    }

    /// seeds/002: `GET https://{endpoint}/v2/{project_id}/processor-tasks/{task_id}/versions/{version_id}/results?offset=0&limit=14&result_property=-1`,
    /// whose example answers count 3, three results and `has_more: true`.
    @Test func modelArtsSeedRequest() async throws {
        let samples = ["8.jpg", "2.jpg", "13.jpg"].map { ModelArtsSample(resultProperty: 3, name: $0) }
        let task = ModelArtsTask(taskID: "task1", versionID: "7PoIhUzSk92OglQrTxr", samples: samples)
        try await EmulatorHarness.with(scenario: Scenario(modelarts: .init(tasks: [task]))) { h in
            let r = try await h.signedGET(
                h.modelArtsPath(task: "task1", version: "7PoIhUzSk92OglQrTxr"),
                query: [("offset", "0"), ("limit", "14"), ("result_property", "-1")]
            )
            #expect(r.status == 200)
            Self.expectShape(r.json, ["count": .integer, "results": .array, "has_more": .bool])
            #expect(r.json["count"] as? Int == 3 && r.json["has_more"] as? Bool == true)
            let results = r.json["results"] as? [[String: Any]] ?? []
            #expect(results.count == 3)
            for result in results {
                Self.expectShape(result, [
                    "sample_id": .string, "version_id": .string, "origin_source": .string, "new_source": .string,
                    "signed_origin_source": .string, "signed_new_source": .string, "result_property": .integer, "result_description": .array,
                ])
                #expect(result["version_id"] as? String == "7PoIhUzSk92OglQrTxr")
                #expect((result["origin_source"] as? String)?.hasPrefix("s3://") == true)
                #expect((result["new_source"] as? String)?.hasPrefix("obs://") == true)
                #expect(result["result_description"] as? [[String]] == [["use AddNoise augmentation"], ["result_description to translate"]])
                let signed = try #require(URLComponents(string: result["signed_new_source"] as? String ?? ""))
                #expect(signed.queryItems?.map(\.name) == ["AccessKeyId", "Expires", "Signature"])
            }
        }
    }

    /// seeds/003: `GET /v2/6204a5bd270343b5885144cf9c8c158d/services/c-face-edge/tasks/8d7c029b01c64abf9630f40b7dbfb067`,
    /// answered with the task object at top level.
    @Test func faceEdgeSeedRequest() async throws {
        let project = "6204a5bd270343b5885144cf9c8c158d", taskID = "8d7c029b01c64abf9630f40b7dbfb067"
        let scenario = Scenario(
            credentials: [AccessKeyPair(accessKey: "AK3", secretKey: "SK3", projectID: project)],
            faceedge: .init(tasks: [FaceEdgeTask(taskID: taskID, timeline: [.init(state: "RUNNING")])])
        )
        try await EmulatorHarness.with(scenario: scenario) { h in
            let r = try await h.signedGET("/v2/\(project)/services/c-face-edge/tasks/\(taskID)", signer: TestSigner(accessKey: "AK3", secretKey: "SK3"), project: project)
            #expect(r.status == 200)
            let task = r.json
            Self.expectShape(task, [
                "id": .string, "name": .string, "creator": .string, "project_id": .string, "description": .string,
                "service_version": .string, "edge_pool_id": .string, "resource_order_id": .string, "created_at": .string,
                "updated_at": .string, "state": .string, "input": .object, "output": .object, "service_config": .object,
            ])
            #expect(task["id"] as? String == taskID && task["state"] as? String == "RUNNING" && task["name"] as? String == "人脸提取-T4M-edge-0")
            let input = task["input"] as? [String: Any] ?? [:]
            #expect(input["type"] as? String == "edgecamera")
            #expect(((input["data"] as? [[String: Any]])?.first?["id"] as? String)?.count == 36)
            let webhook = (task["output"] as? [String: Any])?["webhook"] as? [String: Any] ?? [:]
            Self.expectShape(webhook, ["url": .string, "headers": .object, "data_category": .array])
            #expect(webhook["data_category"] as? [String] == ["FaceImage", "OriginImage"])
            let common = ((task["service_config"] as? [String: Any])?["common"] as? [String: Any]) ?? [:]
            Self.expectShape(common, [
                "detection_max_size": .integer, "detection_min_size": .integer, "origin_image_send_sw": .integer,
                "face_first_send_threshold": .float, "face_must_send_sw": .integer, "face_repeat_send_sw": .integer,
                "face_repeat_send_mode": .string, "face_repeat_send_step": .integer, "face_repeat_send_interval": .integer,
                "target_roi": .string, "image_compression_ratio": .integer,
            ])
        }
    }
}
