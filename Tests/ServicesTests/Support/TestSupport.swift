import Synchronization
import XCTest

@testable import JSON
@testable import RunConfiguration
@testable import Services
@testable import Transport

/// A transport that answers from a closure and records every request.
final class FakeTransport: HTTPTransport {
    typealias Handler = @Sendable (ServiceRequest, Int) async throws -> ServiceResponse
    private let handler: Handler
    private let recorded = Mutex<[ServiceRequest]>([])

    /// `handler` gets the request and its 0-based number.
    init(_ handler: @escaping Handler) { self.handler = handler }

    /// Answers the scripted responses in order (the last one repeats).
    convenience init(responses: [ServiceResponse]) {
        self.init { _, number in responses[min(number, responses.count - 1)] }
    }

    var requests: [ServiceRequest] { recorded.withLock { $0 } }
    var count: Int { recorded.withLock { $0.count } }

    func send(_ request: ServiceRequest) async throws -> ServiceResponse {
        let number = recorded.withLock { list in
            list.append(request)
            return list.count - 1
        }
        return try await handler(request, number)
    }
}

/// Virtual time: `sleep` advances both clocks at once and records the delay.
final class VirtualClock: Sendable {
    private struct State {
        var now: Double
        var wall: Double
        var sleeps: [Double] = []
    }
    private let state: Mutex<State>

    init(now: Double = 1000, wall: Double = 1_700_000_000) {
        state = Mutex(State(now: now, wall: wall))
    }

    var now: Double { state.withLock { $0.now } }
    var wall: Double { state.withLock { $0.wall } }
    var sleeps: [Double] { state.withLock { $0.sleeps } }

    func advance(_ seconds: Double) {
        state.withLock {
            $0.now += seconds
            $0.wall += seconds
        }
    }

    var clock: ServiceClock {
        ServiceClock(
            now: { self.now },
            wallNow: { self.wall },
            sleep: { seconds in
                if Task.isCancelled { throw ServiceError(.canceled, "canceled while waiting") }
                self.state.withLock {
                    $0.sleeps.append(seconds)
                    $0.now += max(0, seconds)
                    $0.wall += max(0, seconds)
                }
            })
    }
}

/// Collects reports (unknown states, logs).
final class Collector<T: Sendable>: Sendable {
    private let items = Mutex<[T]>([])
    func add(_ item: T) { items.withLock { $0.append(item) } }
    var all: [T] { items.withLock { $0 } }
}

func json(_ text: String) -> JSONValue {
    do { return try JSONParser.parse(text) } catch { fatalError("bad test JSON: \(error)") }
}

func object(_ text: String) -> JSONObject {
    guard let object = json(text).objectValue else { fatalError("not an object: \(text)") }
    return object
}

func response(_ status: Int, _ body: String, headers: HTTPFields = [:]) -> ServiceResponse {
    ServiceResponse(status: status, headers: headers, text: body)
}

/// Asserts that `body` throws a `ServiceError` and returns it.
func assertServiceError<T>(
    _ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line
) async -> ServiceError? {
    do {
        let value = try await body()
        XCTFail("expected a ServiceError, got \(value)", file: file, line: line)
        return nil
    } catch let error as ServiceError {
        return error
    } catch {
        XCTFail("expected a ServiceError, got \(error)", file: file, line: line)
        return nil
    }
}

/// A caller on fake transport and virtual time, with zero-jitter retries.
func makeCaller(
    _ service: ServiceName, transport: FakeTransport, clock: VirtualClock = VirtualClock(),
    policy: RetryPolicy = .standard, limiter: RateLimiter? = nil, counters: RunCounters = RunCounters(),
    redactor: Redactor = Redactor(), unknown: UnknownStateReporter = UnknownStateReporter()
) -> ServiceCaller {
    ServiceCaller(
        service: service, transport: transport,
        retrier: Retrier(policy: policy, clock: clock.clock, random: .constant(0.5), counters: counters),
        limiter: limiter, counters: counters, redactor: redactor, clock: clock.clock, unknownStates: unknown)
}

let testSigner = AKSKSigner(accessKey: "TESTAK", secretKey: "TESTSK")

func makeGateway(
    _ service: ServiceName, transport: FakeTransport, clock: VirtualClock = VirtualClock(),
    policy: RetryPolicy = .standard, auth: HuaweiAuth = .akSK(testSigner), counters: RunCounters = RunCounters(),
    redactor: Redactor = Redactor(), unknown: UnknownStateReporter = UnknownStateReporter()
) -> HuaweiGateway {
    HuaweiGateway(
        caller: makeCaller(
            service, transport: transport, clock: clock, policy: policy, counters: counters, redactor: redactor,
            unknown: unknown),
        endpoint: try! ServiceURL(parsing: "https://\(service.rawValue).example.test"),
        projectID: "p1", auth: auth)
}
