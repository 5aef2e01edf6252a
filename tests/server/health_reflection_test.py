#!/usr/bin/env python3
"""Checks riskledgerd's gRPC health and reflection services with an independent
client (python3-grpcio, raw bytes: no riskledger code or generated stubs)."""
import re
import signal
import subprocess
import sys
import tempfile
import unittest

import grpc

RISKLEDGERD = sys.argv.pop(1)


def encode_varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def encode_string_field(number, text):
    data = text.encode()
    return encode_varint(number << 3 | 2) + encode_varint(len(data)) + data


def decode_fields(data):
    """Yields (field number, value) of a serialized message (varint / bytes)."""
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, i = _varint(data, i)
        elif wire_type == 2:
            length, i = _varint(data, i)
            value, i = data[i:i + length], i + length
        else:
            raise ValueError("unexpected wire type %d" % wire_type)
        yield number, value


def _varint(data, i):
    shift = result = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, i


class HealthAndReflectionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data_dir = tempfile.TemporaryDirectory()
        cls.daemon = subprocess.Popen(
            [RISKLEDGERD, "--listen=127.0.0.1:0", "--data_dir=" + cls.data_dir.name],
            stderr=subprocess.PIPE, text=True)
        port = None
        for line in cls.daemon.stderr:
            match = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
            if match:
                port = int(match.group(1))
                break
        assert port, "riskledgerd did not report its port"
        cls.channel = grpc.insecure_channel("127.0.0.1:%d" % port)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.daemon.send_signal(signal.SIGTERM)
        rest = cls.daemon.stderr.read()
        assert cls.daemon.wait(timeout=60) == 0, rest
        assert "storage closed cleanly" in rest, rest
        cls.data_dir.cleanup()

    def health(self, service):
        check = self.channel.unary_unary("/grpc.health.v1.Health/Check")
        response = check(encode_string_field(1, service), timeout=10)
        return dict(decode_fields(response)).get(1, 0)

    def test_health_reports_serving(self):
        serving = 1  # grpc.health.v1.HealthCheckResponse.SERVING
        self.assertEqual(self.health(""), serving)
        self.assertEqual(self.health("riskledger.v1.AssessmentService"), serving)

    def test_health_of_unknown_service_is_not_found(self):
        with self.assertRaises(grpc.RpcError) as raised:
            self.health("no.such.Service")
        self.assertEqual(raised.exception.code(), grpc.StatusCode.NOT_FOUND)

    def reflect(self, request):
        info = self.channel.stream_stream(
            "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
        return list(info(iter([request]), timeout=10))[0]

    def test_reflection_lists_the_services(self):
        response = self.reflect(encode_string_field(7, "*"))  # list_services
        listed = dict(decode_fields(response))[6]  # list_services_response
        names = {dict(decode_fields(service))[1].decode()
                 for number, service in decode_fields(listed) if number == 1}
        self.assertIn("riskledger.v1.AssessmentService", names)
        self.assertIn("grpc.health.v1.Health", names)

    def test_reflection_serves_the_contract_files(self):
        # file_containing_symbol -> file_descriptor_response with the proto files
        response = self.reflect(encode_string_field(4, "riskledger.v1.AssessmentService"))
        descriptors = dict(decode_fields(response))[4]
        files = [dict(decode_fields(fd))[1].decode()
                 for number, fd in decode_fields(descriptors) if number == 1]
        self.assertIn("riskledger/v1/assessment_service.proto", files)


if __name__ == "__main__":
    unittest.main(verbosity=2)
