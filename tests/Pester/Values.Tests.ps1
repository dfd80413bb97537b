# Hostile values (issue 12, "Values" and "No process-wide side effects"): -ImageInfo records given as objects,
# weights, detections with non-finite or huge numbers, and the GC setting Merge-Detection must leave alone.
# Every case is a specific ErrorRecord naming the record, or the right result; never a raw exception or NaN boxes.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    function Det([double] $x, [double] $score = 0.9, [string] $model = 'a', [object] $image = 1) {
        [BoxFusion.Detection]::new($image, 1, $score, $x, 10, 20, 20, $model)
    }
    # Two models' boxes on image 1 that WBF fuses into one.
    $pair = @((Det 10 0.9 'a'), (Det 12 0.8 'b'))
    function Assert-NoStackTrace($ErrorRecord) {
        "$ErrorRecord" | Should -Not -BeLike '*   at *'
        $ErrorRecord.Exception.GetType().FullName | Should -Be 'BoxFusion.Commands.BoxFusionException'
    }
}

Describe '-ImageInfo given as objects or hashtables' {
    It 'a hashtable record is read like an object (id, width, height)' {
        $fused = $pair | Merge-Detection -ImageInfo @{ id = 1; width = 25; height = 100 }
        @($fused).Count | Should -Be 1
        [math]::Round($fused.Right, 9) | Should -Be 25 # clipped to the 25 px wide image
        $fused = $pair | Merge-Detection -ImageInfo @(@{ id = 1; width = 25; height = 100 }, @{ id = 2; width = 5; height = 5 })
        [math]::Round($fused.Right, 9) | Should -Be 25
    }

    It 'a hashtable holding the images list, as ConvertFrom-Json -AsHashtable gives' {
        $info = '{"images": [{"id": 1, "width": 25, "height": 100}]}' | ConvertFrom-Json -AsHashtable
        [math]::Round(($pair | Merge-Detection -ImageInfo $info).Right, 9) | Should -Be 25
    }

    It 'text that is a number is accepted (CSV cells are text)' {
        [math]::Round(($pair | Merge-Detection -ImageInfo ([pscustomobject]@{ id = 1; width = '25'; height = '100' })).Right, 9) | Should -Be 25
    }

    It '<Name>: ImageInfoInvalid naming the image, nothing fused (<Command>)' -ForEach @(
        foreach ($command in 'Merge-Detection', 'Optimize-Fusion') {
            @{ Command = $command; Name = 'width 0'; Records = @([pscustomobject]@{ id = 1; width = 0; height = 100 }); Like = '*image record 0 (id 1)*width 0*positive*' }
            @{ Command = $command; Name = 'a negative height'; Records = @(@{ id = 1; width = 100; height = -5 }); Like = '*image record 0 (id 1)*height -5*positive*' }
            @{ Command = $command; Name = 'NaN width'; Records = @([pscustomobject]@{ id = 1; width = [double]::NaN; height = 100 }); Like = '*image record 0 (id 1)*width NaN*' }
            @{ Command = $command; Name = 'infinite height'; Records = @([pscustomobject]@{ id = 1; width = 100; height = [double]::PositiveInfinity }); Like = '*image record 0 (id 1)*height*finite*' }
            @{ Command = $command; Name = 'width as text'; Records = @([pscustomobject]@{ id = 1; width = 'abc'; height = 100 }); Like = "*image record 0 (id 1)*width 'abc' is not a number*" }
            @{ Command = $command; Name = 'a duplicate id'; Records = @([pscustomobject]@{ id = 1; width = 100; height = 100 }, @{ id = 1; width = 50; height = 50 }); Like = '*image record 1 (id 1)*same id as image record 0*' }
            @{ Command = $command; Name = 'an id that is not an integer'; Records = @([pscustomobject]@{ id = 1.5; width = 100; height = 100 }); Like = '*image record 0*id*1.5*integer or a string*' }
            @{ Command = $command; Name = 'no width'; Records = @([pscustomobject]@{ id = 1; height = 100 }); Like = "*image record 0 (id 1) has no 'width'*" }
            @{ Command = $command; Name = 'no id'; Records = @(@{ width = 100; height = 100 }); Like = "*image record 0 has no 'id'*" }
        }
    ) {
        $gt = Join-Path $DataRoot 'case-a/gt.json'
        $run = if ($Command -eq 'Merge-Detection') { { $pair | Merge-Detection -ImageInfo $Records -ErrorAction SilentlyContinue } }
        else { { Import-Detection (Join-Path $DataRoot 'case-a/model1.json') | Optimize-Fusion -GroundTruth $gt -ImageInfo $Records -MaxTrials 1 -ErrorAction SilentlyContinue } }
        $e = $run | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'ImageInfoInvalid,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$e" | Should -BeLike "-ImageInfo: $Like"
        $e.TargetObject | Should -Not -BeNullOrEmpty
        Assert-NoStackTrace $e
    }
}

Describe 'Weights' {
    It '<Name> in a weight table is an error, not a silent 0' -ForEach @(
        @{ Name = '$null'; Weight = @{ a = $null } ; Like = "*-Weight a is empty*" }
        @{ Name = "''"; Weight = @{ a = '' }; Like = "*-Weight a is empty*" }
        @{ Name = "'  '"; Weight = @{ a = '  ' }; Like = "*-Weight a is empty*" }
        @{ Name = '$null in a list'; Weight = @(1, $null); Like = "*-Weight #2 is empty*" }
    ) {
        $e = { $pair | Merge-Detection -Weight $Weight -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidWeight,BoxFusion.Commands.MergeDetectionCommand' -PassThru
        "$e" | Should -BeLike $Like
    }

    It 'weights too large to add up (1e308 each) are an error, not NaN boxes' {
        $e = { $pair | Merge-Detection -Weight 1e308, 1e308 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidWeight,BoxFusion.Commands.MergeDetectionCommand' -PassThru
        "$e" | Should -BeLike '*weight*1E+308*1e9*'
        { @($pair; (Det 14 0.7 'c')) | Merge-Detection -Weight 1e308, 1e308, 1e308 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidWeight,BoxFusion.Commands.MergeDetectionCommand'
    }

    It 'large weights within the bound fuse to finite boxes' {
        $fused = $pair | Merge-Detection -Weight 1e9, 1e9
        [double]::IsNaN($fused.X) | Should -BeFalse
        $fused.Score | Should -BeGreaterThan 0.8
    }
}

Describe 'Detections with non-finite or huge numbers are refused at input' {
    It 'a Detection object with a NaN score: InvalidDetection naming the input, and the rest fused without it' {
        $bad = [BoxFusion.Detection]::new([long]1, 1, [double]::NaN, 10, 10, 20, 20, 'c')
        $fused = @($bad) + $pair | Merge-Detection -ErrorVariable errs -ErrorAction SilentlyContinue
        Assert-SingleError $errs -Id 'InvalidDetection,BoxFusion.Commands.MergeDetectionCommand' -Category 'InvalidData' -Target $bad
        "$($errs[0])" | Should -BeLike 'Input 0 (image 1, model c): score is NaN, not a finite number; the detection was left out.'
        # Model c is not in the ensemble at all: the pair fuses as if it came alone (score not diluted by a third model).
        $fused.Score | Should -Be ($pair | Merge-Detection).Score
        { @($bad) + $pair | Merge-Detection -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDetection,BoxFusion.Commands.MergeDetectionCommand'
    }

    It '<Name> from a hand-made object (<Command>)' -ForEach @(
        foreach ($command in 'Merge-Detection', 'Measure-Detection', 'Optimize-Fusion') {
            @{ Command = $command; Name = 'an infinite X'; Object = [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = 0.5; X = [double]::PositiveInfinity; Y = 1; Width = 2; Height = 2 }; Like = '*x is Infinity*' }
            @{ Command = $command; Name = 'a NaN height'; Object = [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = 0.5; X = 1; Y = 1; Width = 2; Height = [double]::NaN }; Like = '*height is NaN*' }
            @{ Command = $command; Name = 'an X of 1e308'; Object = [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = 0.5; X = 1e308; Y = 1; Width = 2; Height = 2 }; Like = '*x is 1E+308*1e9*' }
            @{ Command = $command; Name = 'a width of 2e9'; Object = [pscustomobject]@{ ImageId = 1; CategoryId = 1; Score = 0.5; X = 1; Y = 1; Width = 2e9; Height = 2 }; Like = '*width is 2000000000*1e9*' }
        }
    ) {
        $gt = Join-Path $DataRoot 'case-a/gt.json'
        $null = switch ($Command) {
            'Merge-Detection' { $Object | Merge-Detection -ErrorVariable errs -ErrorAction SilentlyContinue }
            'Measure-Detection' { $Object | Measure-Detection -GroundTruth $gt -ErrorVariable errs -ErrorAction SilentlyContinue }
            # Nothing is left to search on: that ends Optimize-Fusion, after the error for the input.
            'Optimize-Fusion' { try { $Object | Optimize-Fusion -GroundTruth $gt -MaxTrials 1 -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $_.FullyQualifiedErrorId | Should -BeLike 'NoDetections,*' } }
        }
        $mine = @($errs | Where-Object FullyQualifiedErrorId -Like 'InvalidDetection,*')
        $mine.Count | Should -Be 1
        "$($mine[0])" | Should -BeLike "Input 0 (image 1*): $Like"
        Assert-NoStackTrace $mine[0]
    }

    It 'New-Detection refuses <Name>: InvalidDetection, nothing emitted' -ForEach @(
        @{ Name = 'a score of +Infinity'; Parameters = @{ Score = [double]::PositiveInfinity; X = 1; Y = 1; Width = 2; Height = 2 }; Like = '*score is Infinity*' }
        @{ Name = 'an X of 1e308'; Parameters = @{ Score = 0.5; X = 1e308; Y = 1; Width = 2; Height = 2 }; Like = '*x is 1E+308*1e9*' }
        @{ Name = 'corners 1e308 apart'; Parameters = @{ Score = 0.5; X1 = -1e308; Y1 = 0; X2 = 1e308; Y2 = 2 }; Like = '*width is Infinity, not a finite number (the box from X1 -1E+308, Y1 0, X2 1E+308, Y2 2)*' }
        @{ Name = 'a score of 1e10'; Parameters = @{ Score = 1e10; X = 1; Y = 1; Width = 2; Height = 2 }; Like = '*score is 10000000000*1e9*' }
    ) {
        $d = New-Detection -ImageId 1 -CategoryId 1 @Parameters -ErrorVariable errs -ErrorAction SilentlyContinue
        $d | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidDetection,BoxFusion.Commands.NewDetectionCommand'
        "$($errs[0])" | Should -BeLike "Input 0 (image 1): $Like"
    }

    It 'New-Detection accepts the bounds themselves (1e9 px, negative x and y)' {
        $d = New-Detection -ImageId 1 -CategoryId 1 -Score 1 -X -1e9 -Y -1e9 -Width 1e9 -Height 1e9
        $d.X | Should -Be (-1e9)
    }

    It 'a results file with a coordinate of 1e308: the record skipped (SkippedRecordsOutOfRange), the rest read' {
        $path = Join-Path $TestDrive 'huge.json'
        Set-Content -LiteralPath $path -Value '[{"image_id": 1, "category_id": 1, "bbox": [1e308, 10, 1e307, 20], "score": 0.9}, {"image_id": 1, "category_id": 1, "bbox": [10, 10, 20, 20], "score": 0.8}]'
        $d = Import-Detection -LiteralPath $path -ErrorVariable errs -ErrorAction SilentlyContinue
        @($d).Count | Should -Be 1
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'SkippedRecordsOutOfRange,BoxFusion.Commands.ImportDetectionCommand'
        "$($errs[0])" | Should -BeLike "*1 record skipped (OutOfRange); first: record 0: x is 1E+308*1e9*"
        $null = Merge-Detection -LiteralPath $path -ErrorVariable errs2 -ErrorAction SilentlyContinue
        $errs2.FullyQualifiedErrorId | Should -Be 'SkippedRecordsOutOfRange,BoxFusion.Commands.MergeDetectionCommand'
    }

    It 'huge boxes never fuse into NaN or infinite boxes' {
        $huge = @([BoxFusion.Detection]::new([long]1, 1, 0.9, 1e308, 10, 1e307, 20, 'a'), [BoxFusion.Detection]::new([long]1, 1, 0.9, 1e308, 10, 1e307, 20, 'b'))
        $fused = $huge | Merge-Detection -ErrorAction SilentlyContinue -ErrorVariable errs
        $fused | Should -BeNullOrEmpty
        $errs.Count | Should -Be 2
    }

    It 'Export-Submission writes no record with a coordinate beyond 1e9' {
        $path = Join-Path $TestDrive 'sub.json'
        $huge = [BoxFusion.Detection]::new([long]1, 1, 0.9, 1e308, 10, 20, 20, 'a')
        @($huge) + $pair | Export-Submission -LiteralPath $path -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        (Get-Content -LiteralPath $path -Raw | ConvertFrom-Json).Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidDetection,BoxFusion.Commands.ExportSubmissionCommand'
    }
}

Describe 'Ground truth read as pycocotools reads it' {
    BeforeAll {
        function Write-Truth([string[]] $Annotations) {
            $path = Join-Path $TestDrive ("gt-" + [guid]::NewGuid().ToString('N') + '.json')
            Set-Content -LiteralPath $path -Value ('{"images": [{"id": 1, "width": 640, "height": 480}], "annotations": [' + ($Annotations -join ', ') + '], "categories": [{"id": 1, "name": "a"}]}')
            $path
        }
        function Box([double] $x, [double] $score, [double] $size = 10) { [BoxFusion.Detection]::new([long]1, 1, $score, $x, $x, $size, $size, 'm') }
    }

    It 'two annotations with one id: the last stands in for both (AP 2/3, not 1), with a warning' {
        # pycocotools evaluates [B, B]: the detection on A is a false positive, the two on B match one copy each
        # (tp 0,1,2 of 3 detections, 2 ground truths: precision 2/3 at every recall). tests/BoxFusion.Engine.Tests has the derivation.
        $gt = Write-Truth '{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 10, 10], "area": 100, "iscrowd": 0}', '{"id": 1, "image_id": 1, "category_id": 1, "bbox": [100, 100, 10, 10], "area": 100, "iscrowd": 0}'
        $result = (Box 0 0.9), (Box 100 0.8), (Box 100 0.7) | Measure-Detection -GroundTruth $gt -WarningVariable w -WarningAction SilentlyContinue
        $result.AP | Should -BeGreaterThan (2 / 3 - 1e-12)
        $result.AP | Should -BeLessThan (2 / 3 + 1e-12)
        $result.AR1 | Should -Be 0
        "$w" | Should -BeLike "*1 annotation shares an id with a later annotation; as in pycocotools*"
    }

    It 'iscrowd 0.5 is ignored but not a crowd: a second detection on it is a false positive (AP 1/2, not 1)' {
        $gt = Write-Truth '{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 10, 10], "area": 100, "iscrowd": 0}', '{"id": 2, "image_id": 1, "category_id": 1, "bbox": [100, 100, 40, 40], "area": 1600, "iscrowd": 0.5}'
        $result = (Box 100 0.9 40), (Box 100 0.8 40), (Box 0 0.7) | Measure-Detection -GroundTruth $gt
        $result.AP | Should -BeGreaterThan (0.5 - 1e-12)
        $result.AP | Should -BeLessThan (0.5 + 1e-12)
    }

    It 'iscrowd beyond what pycocotools can store (-1, 256): GroundTruthInvalid naming the annotation' -ForEach '-1', '256' {
        $gt = Write-Truth ('{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 10, 10], "area": 100, "iscrowd": ' + $_ + '}')
        $e = { Box 0 0.9 | Measure-Detection -GroundTruth $gt -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'GroundTruthInvalid,BoxFusion.Commands.MeasureDetectionCommand' -PassThru
        "$e" | Should -BeLike "*annotations``[0``]*'iscrowd' is $_; it must be 0 (not a crowd) or a number from 0 to 255*"
    }
}

Describe 'No process-wide side effects' {
    It 'sixteen Merge-Detection runs in ForEach-Object -Parallel leave GCSettings.LatencyMode as it was' {
        $module = $ModulePath
        $before = [System.Runtime.GCSettings]::LatencyMode
        $counts = 1..16 | ForEach-Object -ThrottleLimit 16 -Parallel {
            Import-Module $using:module
            $d = 1..400 | ForEach-Object { [BoxFusion.Detection]::new([long]($_ % 40), 1, 0.5, $_ % 7, 0, 10, 10, "m$($_ % 3)") }
            @($d | Merge-Detection).Count
        }
        $counts.Count | Should -Be 16
        [System.Runtime.GCSettings]::LatencyMode | Should -Be $before
        # And a run never changes it while it runs: the setting seen from a pipeline step is the caller's.
        $seen = 1..200 | ForEach-Object { Det $_ } | Merge-Detection | ForEach-Object { [System.Runtime.GCSettings]::LatencyMode } | Select-Object -First 1
        $seen | Should -Be $before
    }
}
