// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "bodo",
    products: [
        .executable(name: "bodo", targets: ["bodo"]),
        .library(name: "BodoKit", targets: ["BodoKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries, each behind its own system target so the Swift code never sees a C header.
        .systemLibrary(name: "CEspeakNG", pkgConfig: "espeak-ng", providers: [.apt(["libespeak-ng-dev"])]),
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        // The codecs libsndfile cannot give tags and chapters to: Opus, FLAC, Ogg Vorbis, MP3.
        .systemLibrary(name: "COpusEnc", pkgConfig: "libopusenc", providers: [.apt(["libopusenc-dev"])]),
        .systemLibrary(name: "CFLAC", pkgConfig: "flac", providers: [.apt(["libflac-dev"])]),
        .systemLibrary(name: "CVorbis", pkgConfig: "vorbisenc", providers: [.apt(["libvorbis-dev"])]),
        .systemLibrary(name: "CLame", providers: [.apt(["libmp3lame-dev"])]),
        // EBU R128 loudness and true peak, for the level every output is brought to.
        .systemLibrary(name: "CEBUR128", pkgConfig: "libebur128", providers: [.apt(["libebur128-dev"])]),
        // WebRTC's voice activity detector, for hearing "found it" (`bodo play --listen`). No
        // pkg-config: its flags are for the C++ headers, and SwiftPM refuses their -D options.
        .systemLibrary(name: "CWebRTCVAD", providers: [.apt(["libwebrtc-audio-processing-dev"])]),
        .target(name: "CCodecShims", dependencies: ["COpusEnc"]),
        .target(name: "CLinuxShims"),
        // MPRIS on sd-bus (libsystemd): media keys, headset buttons and the desktop's media panel.
        .target(name: "CMediaKeys", linkerSettings: [.linkedLibrary("systemd")]),

        // Turns scripts/*.yaml and voices/*.yaml into Swift string literals at build time, so the
        // files in those folders stay the one source of truth and the binary needs nothing beside it.
        .executableTarget(name: "BodoEmbedTool"),
        .plugin(name: "EmbedRoutineFiles", capability: .buildTool(), dependencies: ["BodoEmbedTool"]),

        .target(
            name: "BodoKit",
            dependencies: ["CEspeakNG", "CSndFile", "CALSA", "COpusEnc", "CFLAC", "CVorbis", "CLame", "CEBUR128", "CWebRTCVAD", "CCodecShims", "CLinuxShims", "CMediaKeys",
                           .product(name: "Yams", package: "Yams")],
            plugins: ["EmbedRoutineFiles"]
        ),
        // The "found it" detector's benchmark (bench/listen.sh), not part of the product.
        .executableTarget(name: "BodoListenBench", dependencies: ["BodoKit", "CSndFile"]),
        .executableTarget(
            name: "bodo",
            dependencies: ["BodoKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "BodoKitTests", dependencies: ["BodoKit", "CSndFile"]),
        // Runs the built `bodo` binary as a user would; depending on it makes `swift test` build it.
        .testTarget(name: "bodoTests", dependencies: ["bodo", "BodoKit"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
