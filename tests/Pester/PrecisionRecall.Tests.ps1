BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    # A reference made by tests/data/precision-recall/make_reference.py, as a JsonDocument (fast to index).
    function Get-Reference([string] $Name) {
        $file = [System.IO.File]::OpenRead((Join-Path $DataRoot "precision-recall/$Name"))
        try {
            $gz = [System.IO.Compression.GZipStream]::new($file, [System.IO.Compression.CompressionMode]::Decompress)
            [System.Text.Json.JsonDocument]::Parse($gz)
        } finally { $file.Dispose() }
    }
}

Describe 'Measure-Detection results carry the precision-recall arrays' {
    BeforeAll {
        $result = Measure-Detection -GroundTruth (Join-Path $DataRoot 'coco-fake100/instances_val2014_100.json') -Path (Join-Path $DataRoot 'coco-fake100/instances_val2014_fakebbox100_results.json')
        $pr = $result.PrecisionRecall
        $reference = Get-Reference 'coco-fake100-bbox.json.gz'
    }
    AfterAll { $reference.Dispose() }

    It 'has pycocotools'' shapes and axes' {
        $pr | Should -BeOfType BoxFusion.Evaluation.PrecisionRecallCurves
        $pr.Precision.Rank | Should -Be 5
        0..4 | ForEach-Object { $pr.Precision.GetLength($_) } | Should -Be 10, 101, 80, 4, 3
        0..3 | ForEach-Object { $pr.Recall.GetLength($_) } | Should -Be 10, 80, 4, 3
        0..4 | ForEach-Object { $pr.Scores.GetLength($_) } | Should -Be 10, 101, 80, 4, 3
        $pr.AreaRanges | Should -Be 'all', 'small', 'medium', 'large'
        $pr.MaxDetections | Should -Be 1, 10, 100
        $pr.CategoryIds[0] | Should -Be 1
        $pr.CategoryNames[0] | Should -Be 'person'
    }

    It 'equals the reference arrays (every 97th entry; xunit checks them all)' {
        $precision = $reference.RootElement.GetProperty('precision')
        $scores = $reference.RootElement.GetProperty('scores')
        $bad = 0
        for ($i = 0; $i -lt 969600; $i += 97) {
            $m = $i % 3; $a = [math]::Floor($i / 3) % 4; $k = [math]::Floor($i / 12) % 80; $r = [math]::Floor($i / 960) % 101; $t = [math]::Floor($i / 96960)
            if ([math]::Abs($pr.Precision[$t, $r, $k, $a, $m] - $precision[$i].GetDouble()) -gt 1e-12) { $bad++ }
            if ([math]::Abs($pr.Scores[$t, $r, $k, $a, $m] - $scores[$i].GetDouble()) -gt 1e-12) { $bad++ }
        }
        $bad | Should -Be 0
    }

    It 'keeps the arrays out of Export-Clixml and ConvertTo-Json, which still carry every number of the summary' {
        # 2 x 969,600 numbers would make each file about 15 MB; the arrays say their shape instead
        $xml = Join-Path $TestDrive 'result.xml'
        $result | Export-Clixml $xml
        (Get-Item $xml).Length | Should -BeLessThan 100KB
        $back = Import-Clixml $xml
        $back.AP | Should -Be $result.AP
        "$($back.PrecisionRecall.Precision)" | Should -BeLike 'double`[10 x 101 x 80 x 4 x 3`]*'
        foreach ($depth in 2, 10) {
            $json = $result | ConvertTo-Json -Depth $depth -WarningAction SilentlyContinue
            $json.Length | Should -BeLessThan 100KB -Because "ConvertTo-Json -Depth $depth"
            ($json | ConvertFrom-Json).AP | Should -Be $result.AP
        }
        $json = $result | ConvertTo-Json -Depth 4
        ($json | ConvertFrom-Json).PrecisionRecall.Recall.Shape | Should -Be 10, 80, 4, 3
    }

    It 'gives the arrays themselves on request, as .NET arrays in pycocotools'' axis order' {
        $precision = $pr.Precision.ToArray()
        $precision.GetType() | Should -Be ([double[, , , , ]])
        $precision[3, 40, 7, 0, 2] | Should -Be $pr.Precision[3, 40, 7, 0, 2]
        $pr.Recall.ToArray().GetType() | Should -Be ([double[, , , ]])
        $pr.Scores.ToArray()[3, 40, 7, 0, 2] | Should -Be $pr.Scores[3, 40, 7, 0, 2]
        $pr.Precision.Axes | Should -Be 'T', 'R', 'K', 'A', 'M'
        "$($pr.Precision)" | Should -BeLike '*10 x 101 x 80 x 4 x 3*'
        # a copy: changing it leaves the result as it was
        $before = $pr.Precision[0, 0, 0, 0, 0]
        $precision[0, 0, 0, 0, 0] = 42
        $pr.Precision[0, 0, 0, 0, 0] | Should -Be $before
    }

    It 'gives curves whose AP is the summary''s' {
        [math]::Abs($pr.GetAveragePrecision() - $result.AP) | Should -BeLessOrEqual 1e-12
        [math]::Abs($pr.GetAveragePrecision(0.5) - $result.AP50) | Should -BeLessOrEqual 1e-12
        $curve = $pr.GetCurve(0.75)
        $curve.Count | Should -Be 101
        [math]::Abs(($curve | Measure-Object -Average).Average - $result.AP75) | Should -BeLessOrEqual 1e-12
    }
}
