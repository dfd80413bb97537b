BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $yolox = Join-Path $SampleFolder 'yolox.json'
    $cascade = Join-Path $SampleFolder 'cascade.json'
}

Describe 'Compare-Detection' {
    BeforeAll {
        $detections = Import-Detection $yolox, $cascade
        $rows = $detections | Compare-Detection -GroundTruth $SampleTruth
    }

    It 'gives every detection one row, each model on its own, plus the missed boxes' {
        $rows[0] | Should -BeOfType BoxFusion.Evaluation.DetectionMatch
        $withDetection = @{}; $given = @{}
        foreach ($r in $rows) { if ($r.Detection) { $withDetection[$r.Model]++ } elseif ($r.Outcome -ne 'Missed') { throw "a $($r.Outcome) row without a detection" } }
        foreach ($d in $detections) { $given[$d.Model]++ }
        $withDetection['yolox'] | Should -Be $given['yolox']
        $withDetection['cascade'] | Should -Be $given['cascade']
        ($rows.Outcome | ForEach-Object ToString | Sort-Object -Unique) | Should -Be 'FalsePositive', 'Ignored', 'Missed', 'TruePositive'
        ($rows | Where-Object Outcome -EQ FalsePositive).Reason | ForEach-Object ToString | Sort-Object -Unique |
            Should -Be 'Background', 'Duplicate', 'Localization', 'WrongClass'
    }

    It 'agrees with Measure-Detection: true positives / (true positives + missed) is pycocotools'' recall' -ForEach @(
        @{ Iou = 0.5; T = 0 }, @{ Iou = 0.75; T = 5 }
    ) {
        $pr = (Measure-Detection -GroundTruth $SampleTruth -Path $yolox).PrecisionRecall
        $count = @{}
        Compare-Detection -GroundTruth $SampleTruth -Path $yolox -IouThreshold $Iou | ForEach-Object { $count["$($_.CategoryId) $($_.Outcome)"]++ }
        for ($k = 0; $k -lt $pr.CategoryIds.Count; $k++) {
            $tp = [int]$count["$($pr.CategoryIds[$k]) TruePositive"]
            $missed = [int]$count["$($pr.CategoryIds[$k]) Missed"]
            $tp / ($tp + $missed) | Should -Be $pr.Recall[$T, $k, 0, 2] -Because "category $($pr.CategoryIds[$k])"
        }
    }

    It 'names the matched box and its IoU' {
        $tp = $rows | Where-Object Outcome -EQ TruePositive | Select-Object -First 1
        $tp.GroundTruthId | Should -Be $tp.GroundTruth.Id
        $tp.Iou | Should -BeGreaterOrEqual 0.5
        $tp.Category | Should -Not -BeNullOrEmpty
        $tp.Score | Should -Be $tp.Detection.Score
    }

    It 'shows a table whose headers are properties' {
        $text = $rows | Select-Object -First 3 | Format-Table | Out-String -Width 200
        $text | Should -Match 'ImageId\s+Outcome\s+Reason\s+Category\s+Score\s+Iou\s+GroundTruthId\s+Model'
        $headers = 'ImageId', 'Outcome', 'Reason', 'Category', 'Score', 'Iou', 'GroundTruthId', 'Model'
        foreach ($h in $headers) { $rows[0].PSObject.Properties.Name | Should -Contain $h }
    }

    It 'counts more true positives at a lower threshold' {
        $loose = @(Compare-Detection $SampleTruth -Path $yolox -IouThreshold 0.3 | Where-Object Outcome -EQ TruePositive).Count
        $strict = @(Compare-Detection $SampleTruth -Path $yolox -IouThreshold 0.9 | Where-Object Outcome -EQ TruePositive).Count
        $loose | Should -BeGreaterThan $strict
    }

    It 'reports detections on unknown images once and compares the rest' {
        $some = @($detections | Where-Object Model -EQ yolox | Select-Object -First 50)
        $stray = New-Detection -ImageId 999999 -CategoryId 1 -Score 0.5 -X 1 -Y 1 -Width 5 -Height 5 -Model yolox
        $out = @($some + $stray | Compare-Detection $SampleTruth -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotInGroundTruth,*'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be 999999
        @($out | Where-Object Detection).Count | Should -Be 50
    }

    It 'rejects a threshold out of range and a missing ground truth' {
        { Compare-Detection $SampleTruth -Path $yolox -IouThreshold 1.5 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,BoxFusion.Commands.CompareDetectionCommand'
        { Compare-Detection (Join-Path $TestDrive 'none.json') -Path $yolox -ErrorAction Stop } | Should -Throw -ErrorId 'GroundTruthNotFound,BoxFusion.Commands.CompareDetectionCommand'
    }
}
